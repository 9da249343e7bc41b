# Shared checks of the CLI test scripts (tests/tools/*_test.sh, tests/testbench/*_test.sh).
# Source it after setting $tmp (a scratch folder the script owns); finish with `finish`.
#   fail MSG...                      count a failure and print it
#   expect_rc WANT LABEL -- CMD...   run CMD with a time limit ($EXPECT_TIMEOUT s, default 60;
#                                    a hang is exit 124), no stdin; leave $rc, $out and $err;
#                                    fail unless it exits WANT
#   expect WANT PATTERN CMD...       run CMD; fail unless it exits WANT and its stdout+stderr
#                                    match the extended regex PATTERN
#   finish                           exit 1 if anything failed, else 0
failures=0
checks=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

expect_rc() {
  local want=$1 label=$2
  shift 3
  checks=$((checks + 1))
  timeout "${EXPECT_TIMEOUT:-60}" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
  out=$(cat "$tmp/stdout")
  err=$(cat "$tmp/stderr")
  if [[ $rc != "$want" ]]; then
    fail "$label: exit $rc, want $want; stdout: ${out:0:2000}; stderr: ${err:0:2000}"
    return 1
  fi
}

expect() {
  local want=$1 pat=$2
  shift 2
  local all code
  checks=$((checks + 1))
  all=$(timeout "${EXPECT_TIMEOUT:-600}" "$@" 2>&1 </dev/null)
  code=$?
  if [[ $code -ne $want ]] || ! grep -qE -- "$pat" <<<"$all"; then
    fail "$* -> exit $code (want $want), pattern '$pat'"
    tail -30 <<<"$all"
    return 1
  fi
  echo "ok: $* -> $code"
}

finish() {
  [[ $failures -eq 0 ]] || { echo "$failures of $checks checks failed"; exit 1; }
  exit 0
}
