#!/usr/bin/env bash
# The ctest entry of one harness (label "fuzz"): replays every regression input of the harness
# (each must now pass), then runs RUNS executions with a fixed libFuzzer seed from the seed
# corpus. Any finding fails the test; libFuzzer prints the input's path and the stack.
# Usage: fuzz_smoke.sh HARNESS_BINARY HARNESS SOURCE_DIR WORK_DIR RUNS
set -euo pipefail
bin=$1 h=$2 src=$3 work=$4/$2 runs=$5
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
bash "$src/tests/fuzz/seeds.sh" "$h" "$src" "$work/seeds"
rm -rf "$work/corpus" "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts"
regressions=("$src/tests/fuzz/regressions/$h"/*)
if [[ -e ${regressions[0]} ]]; then
  echo "replaying ${#regressions[@]} regression input(s) of $h"
  "$bin" -artifact_prefix="$work/artifacts/" "${regressions[@]}"
fi
# -seed fixes the mutation sequence; -timeout makes a hang a finding rather than a stuck test.
"$bin" -runs="$runs" -seed=1 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$work/seeds"
