#!/usr/bin/env bash
# The long fuzz campaign (`./run.sh fuzz [SECONDS]`): each harness in turn, one process and one
# job (the machine is shared), for SECONDS (default 300) or, with FUZZ_RUNS=N, until N
# executions, whichever comes first. The working corpus grows across campaigns in
# BUILD/fuzz-campaign/corpus/<harness>; findings (crash-*, leak-*, timeout-*, oom-* inputs) land
# in BUILD/fuzz-campaign/findings/<harness>/ and libFuzzer's log in BUILD/fuzz-campaign/<harness>.log.
# Prints one line per harness: executions, exec/s, libFuzzer's final cov and ft, corpus size,
# findings. Exit 1 if any harness found something.
# Usage: campaign.sh BUILD_DIR [SECONDS] [HARNESS...]
set -euo pipefail
build=$1 seconds=${2:-300}
shift $(($# >= 2 ? 2 : 1))
src=$(cd "$(dirname "$0")/../.." && pwd)
harnesses=("$@")
((${#harnesses[@]} > 0)) || harnesses=(model_file vector_case arch_config image_file program)
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "error: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }
out=$build/fuzz-campaign
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rows=() total_findings=0
for h in "${harnesses[@]}"; do
  bin=$build/tests/fuzz/${h}_fuzz
  [[ -x $bin ]] || { echo "error: $bin is not built (./run.sh fuzz builds it)" >&2; exit 2; }
  mkdir -p "$out/corpus/$h" "$out/findings/$h"
  bash "$src/tests/fuzz/seeds.sh" "$h" "$src" "$out/seeds/$h"
  echo "fuzzing $h for ${seconds} s${FUZZ_RUNS:+ or $FUZZ_RUNS executions} (log: $out/$h.log)"
  status=0
  "$bin" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/findings/$h/" \
    "$out/corpus/$h" "$out/seeds/$h" >"$out/$h.log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$h.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$out/$h.log" | tail -1 | awk '{print $2, $4}')
  corpus=$(find "$out/corpus/$h" -type f | wc -l)
  findings=$(find "$out/findings/$h" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  if ((status != 0 && findings == 0)); then findings="?(exit $status)"; fi
  [[ $findings == 0 ]] || total_findings=$((total_findings + 1))
  rows+=("$(printf '%-12s %12s %8s %7s %7s %7s %s' "$h" "${execs:-?}" "${rate:-?}" \
    ${cov:-? ?} "$corpus" "$findings")")
done
echo
printf '%-12s %12s %8s %7s %7s %7s %s\n' harness executions exec/s cov ft corpus findings
printf '%s\n' "${rows[@]}"
if ((total_findings > 0)); then
  echo "findings: see $out/findings/<harness>/ and $out/<harness>.log" >&2
  exit 1
fi
