#!/usr/bin/env bash
# `intvit run --profile`: the per-op CPU table, and the same top-5 whatever INTVIT_GEMM_ISA
# forces (scalar, the reference, against the CPU's best kernels).
# usage: run_profile_test.sh <intvit binary> <source dir>
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" run --model random:vit-tiny-test:2 --seed 3 --profile --repeat 2 >"$tmp/auto.txt"
grep -q "^CPU time per op type:" "$tmp/auto.txt" || fail "no profile table: $(cat "$tmp/auto.txt")"
for op in linear requant.int32 requant.int64 requant.int16 shiftmax shiftgelu layernorm total; do
  grep -q "^$op " "$tmp/auto.txt" || fail "profile lacks $op"
done

INTVIT_GEMM_ISA=scalar "$bin" run --model random:vit-tiny-test:2 --seed 3 >"$tmp/scalar.txt"
diff <(grep "^  class" "$tmp/auto.txt") <(grep "^  class" "$tmp/scalar.txt") \
  || fail "scalar and auto kernels rank different logits"
echo "run_profile_test: ok"
