#!/usr/bin/env bash
# `intvit op check|run --impl rtl`: exit codes, the PASS/FAIL report, the RTL cycle line, the
# refusal of a case beyond a unit's build parameters (exit 2, limit named) and --wave.
# Usage: op_rtl_cli_test.sh INTVIT REPO_ROOT
set -uo pipefail
intvit=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/cli_expect.sh"

v=$root/vectors
expect 0 '^PASS requant \(rtl\)' "$intvit" op check "$v/ivit/requant_ln_f64_trap" --impl rtl
expect 0 'rtl cycles: [0-9]+ \(ivit_requant' "$intvit" op check "$v/examples/requant_residual" --impl rtl
expect 0 'rtl cycles: [0-9]+ \(ivit_array 16x16' "$intvit" op check "$v/examples/linear_tile" --impl rtl
expect 0 '^PASS matmul \(rtl\)' "$intvit" op check "$v/ivit/matmul_av_u16" --impl rtl
expect 1 '^FAIL linear \(rtl\): 2 of 120 elements differ' "$intvit" op check "$v/mismatch/linear_off_by_one" --impl rtl
# The mismatch report is the golden backend's, word for word, plus the cycle line.
g=$("$intvit" op check "$v/mismatch/linear_off_by_one" 2>&1 | sed 's/(golden)/(IMPL)/')
r=$("$intvit" op check "$v/mismatch/linear_off_by_one" --impl rtl 2>&1 | sed 's/(rtl)/(IMPL)/' |
    grep -v 'rtl cycles:')
[[ "$g" == "$r" ]] || fail "rtl report differs from golden:"$'\n'"$g"$'\n'"$r"
expect 0 'rtl cycles: 18 \(ivit_shiftmax, 8 lanes' "$intvit" op check "$v/examples/shiftmax_hand" --impl rtl
expect 0 '^PASS shiftgelu \(rtl\)' "$intvit" op check "$v/examples/shiftgelu_rows" --impl rtl
expect 0 'rtl cycles: [0-9]+ \(ivit_layernorm' "$intvit" op check "$v/examples/layernorm_deit_tiny" --impl rtl
# A shiftmax row of 4097 columns: the golden model takes it, the unit's row buffer does not.
mkdir -p "$tmp/wide"
{
  printf '{"format": "intvit-vector-v1", "op": "shiftmax", "params": {"x0": -10},\n'
  printf ' "inputs": {"x": {"dtype": "int8", "shape": [1, 4097], "data": [0'
  for ((i = 1; i < 4097; i++)); do printf ',%d' $((i % 7)); done
  printf ']}}}\n'
} >"$tmp/wide/manifest.json"
expect 0 'wrote' "$intvit" op run "$tmp/wide" -o "$tmp/wide_y"
expect 2 'exceed the shiftmax unit.s MaxCols = 4096' "$intvit" op check "$tmp/wide_y" --impl rtl
expect 2 'error: ' "$intvit" op check "$v/malformed/linear_k_mismatch" --impl rtl
expect 0 'wrote .*manifest.json' "$intvit" op run "$v/examples/matmul_qk" -o "$tmp/run" --impl rtl
expect 0 '^PASS matmul \(golden\)' "$intvit" op check "$tmp/run"
grep -q '"impl": "rtl"' "$tmp/run/manifest.json" || fail "meta.impl not rtl"
expect 0 '^PASS conv_patch \(rtl\)' "$intvit" op check "$v/examples/conv_patch_small" --impl rtl --wave "$tmp/w.vcd"
head -c 200 "$tmp/w.vcd" | grep -q '\$' || fail "no VCD written"
expect 0 '^PASS shiftmax \(rtl\)' "$intvit" op check "$v/ivit/shiftmax_edges" --impl rtl --wave "$tmp/s.vcd"
grep -q 'cfg_x0_i' "$tmp/s.vcd" || fail "no shiftmax VCD written"
expect 2 'add --impl rtl' "$intvit" op check "$v/examples/linear_tile" --wave "$tmp/x.vcd"
finish
