#!/usr/bin/env bash
# Every RTL unit on cases cut from a real DeiT-Tiny golden run (issue #6): `intvit vectors`
# cuts the whole ops of the patch embedding, the first and last blocks, the final norm and the
# head, plus row tiles of a softmax head and a LayerNorm, and each case must pass
# `intvit op check --impl rtl` with zero mismatches.
# usage: deit_tiny_rtl_test.sh <intvit binary>
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" vectors --model random:deit-tiny:1 --layer patch_embed,blocks.0,blocks.11,norm,head \
  --whole -q -o "$tmp/whole" || fail "vectors (whole) failed"
"$bin" vectors --model random:deit-tiny:1 --layer blocks.5.attn.int_softmax.h1,blocks.5.norm2 \
  --tiles -q -o "$tmp/tiles" || fail "vectors (tiles) failed"

declare -A per_op=()
n=0
for dir in "$tmp/whole" "$tmp/tiles"; do
  while IFS=, read -r path _layer _node_op op _rest; do
    out=$("$bin" op check "$dir/$path" --impl rtl 2>&1) || fail "$path ($op): $out"
    grep -q "rtl cycles: [1-9]" <<<"$out" || fail "$path: no RTL cycle count in: $out"
    per_op[$op]=$((${per_op[$op]:-0} + 1))
    n=$((n + 1))
  done < <(tail -n +2 "$dir/index.csv")
done
# The cut must have reached every unit: a silently empty selection is a failure.
for op in conv_patch linear matmul requant shiftmax shiftgelu layernorm; do
  [[ ${per_op[$op]:-0} -gt 0 ]] || fail "no $op case was cut"
done
summary=""
for op in "${!per_op[@]}"; do summary+=" $op=${per_op[$op]}"; done
echo "PASS: $n DeiT-Tiny cases bit-exact on the RTL:$summary"
