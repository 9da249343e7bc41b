# A small results folder of the sweep's contract (docs/plots.md) made from real runs, for the
# plot and report-page tests. Source it with $bin and $src set: it makes $tmp (removed on
# exit), sources tests/lib/cli_expect.sh, and sets $py to a python3 with matplotlib, or exits
# 77 (skipped) without one or without the SystemC model. Then
#   make_runs DIR                 three `intvit sim` runs of vit-tiny-test on base16 in
#                                 DIR/points/p0..p2 (array.rows and dram.bytes_per_cycle 4 and
#                                 4, 8 and 8, 16 and 16), p1 with --plots
#   make_results DIR [ARGS...]    DIR/results.csv, results.jsonl, spec.json from those runs
#                                 plus one failed point p3 (tests/tools/plot/make_results.py)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$src/tests/lib/cli_expect.sh"
EXPECT_TIMEOUT=120
# Sweeps give every point an area: a stand-in yosys keeps that cheap (tests/lib/stand_in_yosys.sh).
source "$src/tests/lib/stand_in_yosys.sh"
use_stand_in_yosys "$tmp/yosys"

plot_python() {
  if ! "$bin" sim --help 2>&1 | grep -q -- "--plots"; then
    echo "no SystemC model in this build: skipped"; exit 77
  fi
  py=
  for p in ${INTVIT_PYTHON:-python3 /usr/bin/python3}; do
    if "$p" -c 'import matplotlib' 2>/dev/null; then py=$p; break; fi
  done
  [[ -n $py ]] || { echo "no python3 with matplotlib (python3-matplotlib): skipped"; exit 77; }
}

make_runs() {
  local dir=$1 i=0 point
  mkdir -p "$dir/points"
  for point in "4 4" "8 8" "16 16"; do
    local extra=() p=($point)
    [[ $i == 1 ]] && extra=(--plots)
    "$bin" sim -q --model random:vit-tiny-test:1 --arch base16 -p array.rows=${p[0]} \
      -p dram.bytes_per_cycle=${p[1]} --out "$dir/points/p$i" "${extra[@]}" >"$dir/sim$i.txt" 2>&1 ||
      { echo "FAIL: sim p$i: $(tail -5 "$dir/sim$i.txt")"; exit 1; }
    i=$((i + 1))
  done
}

make_results() {
  local dir=$1; shift
  "$py" "$src/tests/tools/plot/make_results.py" "$dir" array.rows dram.bytes_per_cycle "$@" \
    --failed "p3:SRAM overflow: act needs 300 KiB, has 256" ||
    { echo "FAIL: make_results.py"; exit 1; }
}

plot_python
