#!/usr/bin/env bash
# RTL coverage campaign (docs/rtl.md, "Coverage"): runs stimulus through the units of a coverage
# build (cmake -DINTVIT_RTL_COVERAGE=ON; `./run.sh coverage` configures and builds it), merges
# the coverage files the units write, writes the HTML report and prints the summary table.
#
# Stimulus, each into its own folder of .dat files under BUILD/coverage/dat/:
#   vectors   `intvit op check --impl rtl` on every committed case (vectors/examples, vectors/ivit)
#   deit      the DeiT-Tiny cases `intvit vectors --model random:deit-tiny:1` cuts: every whole op
#             of every layer, plus the row tiles of one softmax head and one LayerNorm
#   random    the seeded random cases of tests/testbench/op_rtl_fuzz_test.sh (--impl rtl only)
#   directed  the unit tests of the units --impl rtl uses (rtl_nl_*_l8s4, rtl_nl_prims and the
#             array/requant/add/primitive tests of intvit_rtl_tests): stalls on every stream and
#             the hand-made corner cases
# Every unit is one of the prebuilt models (16x16 array, requant and add with 16 lanes, the row
# units at l8s4, the primitives' test models); none is Verilated on first use, whose units carry
# no coverage.
#
# Usage: coverage.sh REPO_ROOT BUILD_DIR
# Env:   INTVIT_COV_FUZZ_COUNT (random cases, default 300), INTVIT_COV_FUZZ_SEED (default 20261207)
# Writes BUILD/coverage/: html/index.html (genhtml), summary.md (the table docs/rtl.md quotes),
# total.dat and campaign.dat (merged), total.info, timings.txt.
set -euo pipefail
root=$(cd "${1:?usage: coverage.sh REPO_ROOT BUILD_DIR}" && pwd)
build=$(cd "${2:?usage: coverage.sh REPO_ROOT BUILD_DIR}" && pwd)
intvit=$build/intvit
out=$build/coverage
fuzz_count=${INTVIT_COV_FUZZ_COUNT:-300}
fuzz_seed=${INTVIT_COV_FUZZ_SEED:-20261207}

grep -q '^INTVIT_RTL_COVERAGE:BOOL=ON' "$build/CMakeCache.txt" ||
  { echo "error: $build is not a coverage build (configure with -DINTVIT_RTL_COVERAGE=ON)" >&2; exit 2; }
for tool in verilator_coverage genhtml python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (./run.sh coverage installs it)" >&2; exit 2; }
done

rm -rf "$out"
mkdir -p "$out/dat" "$out/cases"
: >"$out/timings.txt"
phase() {  # name, command...: runs the command with the units writing into dat/<name>
  local name=$1; shift
  local t0=$SECONDS
  echo "== $name"
  mkdir -p "$out/dat/$name"
  INTVIT_RTL_COVERAGE_DIR=$out/dat/$name "$@"
  printf '%-9s %5d s  %5d coverage files\n' "$name" $((SECONDS - t0)) \
    "$(find "$out/dat/$name" -name '*.dat' | wc -l)" | tee -a "$out/timings.txt"
}

phase vectors "$intvit" op check "$root/vectors/examples" "$root/vectors/ivit" --impl rtl

deit() {
  "$intvit" vectors --model random:deit-tiny:1 --layer all --op all --whole -q -o "$out/cases/deit_whole"
  "$intvit" vectors --model random:deit-tiny:1 --layer blocks.5.attn.int_softmax.h1,blocks.5.norm2 \
    --tiles -q -o "$out/cases/deit_tiles"
  "$intvit" op check "$out/cases/deit_whole/index.json" "$out/cases/deit_tiles/index.json" --impl rtl
  rm -rf "$out/cases"
}
phase deit deit

phase random env INTVIT_FUZZ_IMPLS=rtl INTVIT_FUZZ_COUNT="$fuzz_count" INTVIT_FUZZ_SEED="$fuzz_seed" \
  bash "$root/tests/testbench/op_rtl_fuzz_test.sh" "$intvit" "$root"

directed() {
  local tb=$build/testbench
  "$tb/intvit_rtl_tests" --gtest_brief=1 \
    --gtest_filter='IvitAdd.*:IvitArray.*:IvitRequant.*:IvitRoundShift.*:IvitSat.*:IvitUdiv.*:*ArrayGeometryTest.*'
  for t in rtl_nl_prims rtl_nl_shiftmax_l8s4 rtl_nl_gelu_l8s4 rtl_nl_layernorm_l8s4; do
    "$tb/nonlinear/$t" --gtest_brief=1
  done
}
phase directed directed

echo "== merging"
for name in vectors deit random directed; do
  (cd "$out/dat/$name" && find . -name '*.dat' -print0 | sort -z |
     xargs -0 -x verilator_coverage -write "../$name.dat")
done
verilator_coverage -write "$out/campaign.dat" "$out/dat/"{vectors,deit,random}.dat
verilator_coverage -write "$out/total.dat" "$out/dat/"{vectors,deit,random,directed}.dat
python3 "$root/rtl/coverage/summary.py" --total "$out/total.dat" --campaign "$out/campaign.dat" \
  --info-dir "$out" --rtl "$root/rtl" --out "$out/summary.md"
genhtml -q --legend --title "intvit RTL coverage" -o "$out/html" "$out/total.info"
echo "report: $out/html/index.html; table: $out/summary.md"
