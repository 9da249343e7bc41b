#!/usr/bin/env bash
# cli.kill_sim_test: `intvit sim` killed with SIGKILL at random moments never leaves a
# half-written report (docs/robustness.md §Writing): every report file present is complete
# JSON or CSV, from this run or the one before.
# Usage: bash kill_sim_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
intvit=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
if ! "$intvit" sim --help >/dev/null 2>&1; then
  echo "kill_sim_test: skipped (no sim in this build)"
  exit 0
fi
out=$tmp/out
# DeiT-Tiny: about a second, so the kills can land among the writes at the end of the run.
run=("$intvit" sim --model random:deit-tiny:1 --arch base16 --trace -q --out "$out")

# check LABEL: every report file in $out is complete.
check() {
  python3 - "$out" "$1" <<'PY' || fail "$1"
import csv, json, os, sys
d, label = sys.argv[1], sys.argv[2]
bad = []
for name in sorted(os.listdir(d)):
    if name.startswith("."):  # a temporary the kill left behind; the real file is intact
        continue
    path = os.path.join(d, name)
    text = open(path, encoding="utf-8").read()
    if name.endswith(".json"):
        try:
            json.loads(text)
        except ValueError as e:
            bad.append(f"{name}: not complete JSON ({e})")
    elif name.endswith(".csv"):
        rows = list(csv.reader(text.splitlines()))
        if not text.endswith("\n") or not rows or any(len(r) != len(rows[0]) for r in rows):
            bad.append(f"{name}: not a complete CSV")
if bad:
    print(f"{label}: " + "; ".join(bad))
    sys.exit(1)
PY
}

# A whole run first: the old files, and how long a run takes.
start=$(date +%s%N)
"${run[@]}" >/dev/null 2>&1 || fail "a whole run failed"
ms=$((($(date +%s%N) - start) / 1000000))
for f in effective_config.json stats.json stats.csv layers.csv trace.json; do
  [[ -s $out/$f ]] || fail "a whole run wrote no $f"
done
check "whole run"

for i in 1 2 3 4 5 6; do
  delay_ms=$((ms * 6 / 10 + RANDOM % (ms / 2 + 1)))  # 60% to 110% of a run: the writes are last
  "${run[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  check "killed after ${delay_ms} ms (run $i)" || true
done

if ((failures > 0)); then
  echo "kill_sim_test: $failures failures"
  exit 1
fi
echo "kill_sim_test: 6 kills over a ${ms} ms run, every report file complete"
