#!/usr/bin/env bash
# Energy and area in the CLI: `sim` writes stats.json's "energy" (components and layers adding up
# to the total), layers.csv's energy_uj column and the summary's energy line; `info --area` and
# `sim --area` with a stand-in yosys (INTVIT_YOSYS, so the test costs seconds: every unit gets
# the same canned cell counts); a missing yosys is one error line and exit 2.
# usage: area_cli_test.sh <intvit binary> <source dir>. Exits 77 without SystemC or python3.
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$src/tests/lib/cli_expect.sh"
source "$src/tests/lib/stand_in_yosys.sh"
"$bin" sim --help 2>&1 | grep -q -- "--area" || { echo "no SystemC model: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }

# Energy on every sim: components and layers add up to the total.
expect 0 "^energy        [0-9.]+ uJ per inference \(table 45nm\)" \
  "$bin" sim --model random:vit-tiny-test:1 --arch tiny4 --out "$tmp/e" -q
python3 - "$tmp/e" <<'PY' || fail "energy sums"
import csv, json, sys
d = sys.argv[1]
e = json.load(open(d + "/stats.json"))["energy"]
assert e["table"] == "45nm", e["table"]
comps = {"mac", "accumulator", "sram_act", "sram_wgt", "sram_acc", "sram_vec", "dram",
         "requant", "shiftmax", "gelu", "layernorm", "add"}
assert set(e["by_component"]) == comps, sorted(e["by_component"])
t = e["total_uj"]
assert t > 0
assert abs(sum(e["by_component"].values()) - t) <= 1e-9 * t
assert abs(sum(l["uj"] for l in e["by_layer"]) - t) <= 1e-9 * t
for l in e["by_layer"]:
    assert abs(sum(l["by_component"].values()) - l["uj"]) <= 1e-9 * max(t, 1e-30), l["layer"]
rows = list(csv.DictReader(open(d + "/layers.csv")))
assert list(rows[0].keys())[-1] == "energy_uj"
named = {l["layer"]: l["uj"] for l in e["by_layer"]}
for r in rows:
    assert abs(float(r["energy_uj"]) - named[r["layer"]]) <= 1e-6, r["layer"]
stats = {r["name"]: r["value"] for r in csv.DictReader(open(d + "/stats.csv"))}
assert abs(float(stats["energy.total_uj"]) - t) <= 1e-12 * t
PY

# Another table through the arch config: the 16nm table spends less.
expect 0 "table 16nm" "$bin" sim --model random:vit-tiny-test:1 --arch tiny4 \
  -p energy.table=16nm --out "$tmp/e16" -q
expect 2 "^error: .*energy.table '7nm' is neither a file nor a known table" \
  "$bin" sim --model random:vit-tiny-test:1 --arch tiny4 -p energy.table=7nm --out "$tmp/x" -q
expect 0 "energy.table +\"45nm\"" "$bin" info --arch tiny4

# Plain sim runs never synthesize.
grep -q '"area"' "$tmp/e/stats.json" && fail "a plain sim run has an area"

# The area needs the RTL: a build without it (the ASan build) refuses --area in one line.
probe=$(INTVIT_YOSYS=/nonexistent/yosys "$bin" info --arch tiny4 --area 2>&1 || true)
if [[ $probe == *"built without the RTL"* ]]; then
  expect 2 "^error: --area synthesizes the RTL units, and this intvit was built without the RTL" \
    "$bin" info --arch tiny4 --area
  finish
fi

# A missing yosys: one error line, exit 2.
expect_rc 2 "info --area without yosys" -- env INTVIT_YOSYS=/nonexistent/yosys \
  INTVIT_RTL_CACHE="$tmp/cache0" "$bin" info --arch tiny4 --area
[[ $(wc -l <"$tmp/stderr") -eq 1 ]] && grep -q "^error: yosys is not installed" "$tmp/stderr" ||
  fail "missing yosys: $(cat "$tmp/stderr")"

# A stand-in yosys (tests/lib/stand_in_yosys.sh): every unit gets 100 NAND2 and 10 flip-flops.
use_stand_in_yosys "$tmp"
expect 0 "^total +[0-9.]+" "$bin" info --arch tiny4 --area
again=$("$bin" info --arch tiny4 --area) || fail "second info --area failed"
grep -q "^requant .*lanes 1, 2 extrapolated to 4 .*cached" <<<"$again" ||
  fail "the second info --area did not say requant was extrapolated and cached: $again"
expect 0 "^area          [0-9.]+ mm2" "$bin" sim --model random:vit-tiny-test:1 --arch tiny4 \
  --area --out "$tmp/a" -q
python3 - "$tmp/a/stats.json" <<'PY' || fail "area sums"
import json, sys
a = json.load(open(sys.argv[1]))["area"]
assert abs(sum(a["by_component"].values()) - a["total_mm2"]) <= 1e-12 * a["total_mm2"]
assert set(a["by_component"]) == {"array", "requant", "shiftmax", "gelu", "layernorm", "add",
                                   "sram_act", "sram_wgt", "sram_acc", "sram_vec"}
# Stand-in logic: 100 NAND2 (1 GE) + 10 DFF (5.67 GE) = 156.7 GE = 156.7 * 0.798 / 0.7 um2.
assert abs(a["by_component"]["add"] - 156.7 * 0.798 / 0.7 / 1e6) < 1e-12, a["by_component"]["add"]
PY
finish
