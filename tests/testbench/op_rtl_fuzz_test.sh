#!/usr/bin/env bash
# Differential fuzz: tools/ivit_ref/fuzz_cases.py writes seeded random cases of every op with the
# independent Python reference's outputs; each is checked with `intvit op check --impl golden`
# (must exit 0) and `--impl rtl` (must exit 0, or exit 2 with the one-line refusal of a unit
# build limit: "... (--impl rtl); use --impl golden", counted per op, and only for a case the
# generator marked as beyond the built units: rows over MaxCols 4096, sqrt_init >= 2^44).
# Prints counts per op.
# Usage: op_rtl_fuzz_test.sh INTVIT REPO_ROOT
# Env:   INTVIT_FUZZ_SEED (default 20261122), INTVIT_FUZZ_COUNT (default 60),
#        INTVIT_FUZZ_OPS (comma-separated ops, default all),
#        INTVIT_FUZZ_KEEP=DIR  copy every failing case to DIR/<case> for a repro,
#        INTVIT_FUZZ_IMPLS (default "golden rtl").
set -uo pipefail
intvit=$1
root=$2
seed=${INTVIT_FUZZ_SEED:-20261122}
count=${INTVIT_FUZZ_COUNT:-60}
ops=${INTVIT_FUZZ_OPS:-requant,shiftmax,shiftgelu,layernorm,linear,matmul,conv_patch}
impls=${INTVIT_FUZZ_IMPLS:-golden rtl}
keep=${INTVIT_FUZZ_KEEP:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/intvit_fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
python3 "$root/tools/ivit_ref/fuzz_cases.py" --seed "$seed" --count "$count" --ops "$ops" \
  --out "$tmp" || { echo "FAIL: fuzz_cases.py"; exit 1; }

fail=0
declare -A cases pass refused bad
for dir in "$tmp"/*/; do
  [[ -f $dir/manifest.json ]] || continue
  name=$(basename "$dir")
  op=${name#*_}
  cases[$op]=$((${cases[$op]:-0} + 1))
  for impl in $impls; do
    out=$("$intvit" op check "$dir" --impl "$impl" 2>&1); rc=$?
    if [[ $rc -eq 0 ]]; then
      pass[$impl.$op]=$((${pass[$impl.$op]:-0} + 1))
      continue
    fi
    # A unit build limit (MaxCols, the Newton register width) is refused in one line.
    # The generator marks the cases beyond the built units' limits (meta.fuzz.rtl_expect); a
    # refusal of any other case is a failure too.
    if [[ $impl == rtl && $rc -eq 2 && $(wc -l <<<"$out") -eq 1 ]] &&
       grep -q '(--impl rtl); use --impl golden$' <<<"$out" &&
       grep -q '"rtl_expect": "refused' "$dir/manifest.json"; then
      refused[$op]=$((${refused[$op]:-0} + 1))
      echo "refused ($impl) $name: ${out#error: }"
      continue
    fi
    bad[$impl.$op]=$((${bad[$impl.$op]:-0} + 1))
    fail=1
    echo "FAIL ($impl, exit $rc): $name (seed $seed, case ${name%%_*})"
    echo "$out" | head -5
    if [[ -n $keep ]]; then
      mkdir -p "$keep" && rm -rf "${keep:?}/$name" && cp -r "$dir" "$keep/$name"
      echo "  kept: $keep/$name   repro: $intvit op check $keep/$name --impl $impl"
    fi
  done
done

printf '%-11s %6s' op cases
for impl in $impls; do printf ' %8s %8s' "$impl" fail; done
printf ' %8s\n' refused
total=0
for op in ${ops//,/ }; do
  printf '%-11s %6d' "$op" "${cases[$op]:-0}"
  for impl in $impls; do printf ' %8d %8d' "${pass[$impl.$op]:-0}" "${bad[$impl.$op]:-0}"; done
  printf ' %8d\n' "${refused[$op]:-0}"
  total=$((total + ${cases[$op]:-0}))
done
echo "seed $seed: $total cases in $((SECONDS - start)) s ($impls)"
[[ $total -eq $count ]] || { echo "FAIL: $total cases checked, $count generated"; fail=1; }
exit $fail
