#!/usr/bin/env bash
# `intvit op check CASE --impl rtl` on every committed case under vectors/examples and
# vectors/ivit: a case whose op has an RTL unit must pass (exit 0, zero mismatches, a cycle
# line); a case whose op has none must exit 2 naming the op. Prints the counts per op.
# Usage: op_rtl_vectors_test.sh INTVIT REPO_ROOT
set -uo pipefail
intvit=$1
root=$2
rtl_ops=" requant linear matmul conv_patch shiftmax shiftgelu layernorm "
fail=0
declare -A passed
for dir in "$root"/vectors/examples/*/ "$root"/vectors/ivit/*/; do
  [[ -f $dir/manifest.json ]] || continue
  op=$(grep -o '"op": *"[a-z_]*"' "$dir/manifest.json" | head -1 | sed 's/.*"\([a-z_]*\)"$/\1/')
  out=$("$intvit" op check "$dir" --impl rtl 2>&1); rc=$?
  if [[ $rtl_ops == *" $op "* ]]; then
    if [[ $rc -ne 0 ]] || ! grep -q '^  rtl cycles: [0-9]' <<<"$out"; then
      echo "FAIL: $dir ($op) -> exit $rc"; echo "$out"; fail=1; continue
    fi
    passed[$op]=$((${passed[$op]:-0} + 1))
  elif [[ $rc -ne 2 ]] || ! grep -q "op $op has no RTL unit" <<<"$out"; then
    echo "FAIL: $dir ($op, no RTL unit) -> exit $rc, want 2 naming the op"; echo "$out"; fail=1
  fi
done
total=0
for op in "${!passed[@]}"; do echo "pass $op: ${passed[$op]}"; total=$((total + passed[$op])); done
echo "$total cases passed with --impl rtl"
# Every RTL op has committed cases.
for op in $rtl_ops; do
  [[ ${passed[$op]:-0} -gt 0 ]] || { echo "FAIL: no committed $op case passed"; fail=1; }
done
exit $fail
