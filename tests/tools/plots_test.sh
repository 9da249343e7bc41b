#!/usr/bin/env bash
# `intvit plot DIR` and `intvit sim --plots` (docs/plots.md): the figures exist, decode (PNG
# signature, not one colour) and parse (SVG); skipped energy and area figures are noted on the
# page; bad folders and a missing matplotlib are one `error:` line and exit 2.
# usage: plots_test.sh <intvit binary> <source dir>. Exits 77 (skipped) without the SystemC
# model or without python3-matplotlib.
set -uo pipefail
bin=$1
src=$2
source "$src/tests/tools/plot/fixture.sh"

make_runs "$tmp/r"
# sim --plots: the per-run breakdown and timeline, from layers.csv and the trace it implies.
grep -q "^plots         $tmp/r/points/p1/plots/" "$tmp/r/sim1.txt" || fail "sim --plots: no plots line"
[[ -s $tmp/r/points/p1/trace.json ]] || fail "sim --plots did not write trace.json"
"$py" "$src/tests/tools/plot/check_images.py" "$tmp"/r/points/p1/plots/{layers,timeline}.{png,svg} ||
  fail "sim --plots figures"
head -1 "$tmp/r/points/p0/layers.csv" | grep -q ",dram_write_bytes,cycles_load,cycles_store,cycles_array," ||
  fail "layers.csv has no cycles_<unit> columns"
# A node's busy cycles split by unit add up to its busy cycles (the array does the GEMMs).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         $2 == "linear" && $c["cycles_array"] == 0 { bad = 1 }
         END { exit bad }' "$tmp/r/points/p0/layers.csv" || fail "a linear layer with no array cycles"

# A folder with energy and area (made up here: the energy model is not merged): every figure.
cp -r "$tmp/r" "$tmp/full"
make_results "$tmp/full" --fake-energy-area
# p1 made bigger than p2, which is also faster: p1 leaves the latency/area front only.
"$py" - "$tmp/full/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rows[1]["area_mm2"] = "99"
w = csv.DictWriter(open(sys.argv[1], "w", newline=""), list(rows[0]))
w.writeheader()
w.writerows(rows)
PY
expect_rc 0 "plot" -- "$bin" plot "$tmp/full" &&
  grep -q "figures in $tmp/full/plots; page $tmp/full/index.html" <<<"$out" || fail "plot: $out"
for f in latency_area energy_latency utilization roofline; do
  [[ -f $tmp/full/plots/$f.png && -f $tmp/full/plots/$f.svg ]] || fail "no $f figure"
done
# Every point is on the energy/latency front here (faster and hungrier): each gets layer figures.
[[ $(ls "$tmp"/full/plots/layers_p*.png | wc -l) == 3 ]] || fail "per-layer figures: $(ls "$tmp"/full/plots)"
"$py" "$src/tests/tools/plot/check_images.py" "$tmp"/full/plots/*.png "$tmp"/full/plots/*.svg ||
  fail "sweep figures"
grep -q '<img src="plots/latency_area.png"' "$tmp/full/index.html" || fail "page lacks a figure"
grep -q 'Pareto front: latency vs area</h2><p>2 points' "$tmp/full/index.html" &&
  grep -q 'Pareto front: energy vs latency</h2><p>3 points' "$tmp/full/index.html" ||
  fail "Pareto tables: $(grep -o 'Pareto front: [^<]*</h2><p>[0-9]* points' "$tmp/full/index.html")"
sed -n '/latency vs area<\/h2>/,/<\/table>/p' "$tmp/full/index.html" | grep -q '<td class="text">p1<' &&
  fail "the dominated p1 is in the latency/area Pareto table"
grep -q 'href="points/p0/stats.json"' "$tmp/full/index.html" || fail "no link to a point's stats"
grep -q '<tr class="failed">.*SRAM overflow' "$tmp/full/index.html" || fail "failed point not listed"
# Without energy and area (today's results): those figures are skipped with a note, no failure.
# --points chooses the points with per-layer figures.
make_results "$tmp/r"
expect_rc 0 "plot without energy" -- "$bin" plot "$tmp/r" --points p2
[[ ! -e $tmp/r/plots/latency_area.png && -f $tmp/r/plots/utilization.png ]] || fail "skips"
grep -q "Latency vs area not drawn: results.csv has no area_mm2" "$tmp/r/index.html" ||
  fail "no note for the skipped latency/area figure"
[[ $(ls "$tmp"/r/plots/layers_*.png) == "$tmp/r/plots/layers_p2.png" ]] ||
  fail "--points p2: $(ls "$tmp"/r/plots)"

# A real sweep (configs/sweeps/quick.json, six points of the test ViT) ends with its figures
# and page, drawn by the same script; its rows follow the contract the figures read.
expect_rc 0 "sweep quick.json" -- "$bin" sweep "$src/configs/sweeps/quick.json" -o "$tmp/sw" -q \
  --jobs 2 || finish
for f in index.html plots/utilization.png plots/utilization.svg plots/roofline.png; do
  [[ -s $tmp/sw/$f ]] || fail "the sweep did not write $f: $(ls "$tmp/sw" "$tmp/sw/plots")"
done
grep -q "<p>6 points: 6 ok, 0 failed; models random:vit-tiny-test:1; axes array.rows, array.cols, dram.bytes_per_cycle" \
  "$tmp/sw/index.html" || fail "the sweep's page summary: $(grep -o '<p>[0-9]* points[^<]*' "$tmp/sw/index.html")"

# Bad folders and inputs: one error line, exit 2.
one_error() {  # label pattern
  [[ $(wc -l <<<"$err") == 1 && $err =~ ^error:\ .*$2 ]] || fail "$1: stderr: $err"
}
expect_rc 2 "missing folder" -- "$bin" plot "$tmp/none" && one_error "missing folder" "not a folder"
mkdir "$tmp/empty"
expect_rc 2 "no results.csv" -- "$bin" plot "$tmp/empty" && one_error "no results.csv" "results.csv: no such file"
expect_rc 2 "unknown point" -- "$bin" plot "$tmp/full" --points p0,zz && one_error "unknown point" "no point 'zz'"
expect_rc 2 "failed point" -- "$bin" plot "$tmp/full" --points p3 && one_error "failed point" "p3' failed"
sed -i '2s/,ok,/,maybe,/' "$tmp/full/results.csv"
expect_rc 2 "bad status" -- "$bin" plot "$tmp/full" && one_error "bad status" "line 2: column 'status'"
mkfifo "$tmp/empty/results.csv"
expect_rc 2 "FIFO" -- "$bin" plot "$tmp/empty" && one_error "FIFO" "not a regular file"
INTVIT_PYTHON=$tmp/no-python expect_rc 2 "no python" -- "$bin" plot "$tmp/r" &&
  one_error "no python" "no python3 was found"
printf '#!/bin/sh\nexec %s -S "$@"\n' "$(command -v "$py")" >"$tmp/bare-python"
chmod +x "$tmp/bare-python"
INTVIT_PYTHON=$tmp/bare-python expect_rc 2 "no matplotlib" -- "$bin" plot "$tmp/r" &&
  one_error "no matplotlib" "install python3-matplotlib"
INTVIT_PYTHON=$tmp/bare-python expect_rc 2 "sim --plots, no matplotlib" -- \
  "$bin" sim -q --model random:vit-tiny-test:1 --out "$tmp/s" --plots &&
  one_error "sim --plots" "install python3-matplotlib"
[[ ! -e $tmp/s/stats.json ]] || fail "sim --plots ran although it could not draw"
finish
