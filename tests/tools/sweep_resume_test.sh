#!/usr/bin/env bash
# cli.sweep_resume_test: a sweep killed (SIGKILL or SIGINT) at several moments and resumed with
# --resume ends with the rows of an uninterrupted run: none lost, none duplicated, no torn line.
# A torn last line (a kill inside a write) is dropped and its point runs again.
# Usage: bash sweep_resume_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
source "$2/tests/tools/sweep_lib.sh" "$@"  # intvit, root, tmp, fail
tiny_spec "$tmp/spec.json"
"$intvit" sweep "$tmp/spec.json" -o "$tmp/whole" -q --jobs 2 || fail "the uninterrupted run failed"

rows() {
  local n=0
  [[ -f $1/results.jsonl ]] && n=$(grep -c '' "$1/results.jsonl")
  echo "$n"
}
midrun=0  # kills that landed before the last row

# kill_at SIGNAL N: start a sweep, kill it with SIGNAL once N rows are in, resume, compare.
kill_at() {
  local sig=$1 n=$2 dir=$tmp/killed-$1-$2
  set -m  # its own process group that takes SIGINT, as a terminal's Ctrl-C reaches it
  "$intvit" sweep "$tmp/spec.json" -o "$dir" -q --jobs 2 &
  local pid=$!
  set +m
  for _ in $(seq 1 2000); do
    [[ $(rows "$dir") -ge $n ]] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.005
  done
  kill -"$sig" -- -$pid 2>/dev/null
  wait $pid 2>/dev/null
  local had
  had=$(rows "$dir")
  echo "killed with SIG$sig at $had of 7 rows"
  [[ $had -lt 7 ]] && midrun=$((midrun + 1))
  "$intvit" sweep "$tmp/spec.json" -o "$dir" -q --resume --jobs 2 ||
    fail "$sig at $n rows: the resumed run failed"
  same_rows "$tmp/whole" "$dir" || fail "$sig at $n rows (had $had): rows differ after --resume"
}
kill_at KILL 0
kill_at KILL 2
kill_at KILL 5
kill_at INT 3
[[ $midrun -ge 1 ]] || fail "no kill landed mid-run"

# A torn last line and a torn CSV line, as a kill inside a write leaves them.
cp -r "$tmp/whole" "$tmp/torn"
python3 - "$tmp/torn" <<'PY'
import sys
d = sys.argv[1]
lines = open(f"{d}/results.jsonl").read().splitlines(keepends=True)
open(f"{d}/results.jsonl", "w").write("".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
csv = open(f"{d}/results.csv").read()
open(f"{d}/results.csv", "w").write(csv[: len(csv) - 10])
PY
err=$("$intvit" sweep "$tmp/spec.json" -o "$tmp/torn" --resume --jobs 2 2>&1 >/dev/null)
[[ $? -eq 0 && $err == *"torn last line"* ]] || fail "torn line: $err"
same_rows "$tmp/whole" "$tmp/torn" || fail "rows differ after resuming a torn file"

[[ $failures -eq 0 ]] && echo "sweep_resume_test: all passed"
exit $((failures > 0))
