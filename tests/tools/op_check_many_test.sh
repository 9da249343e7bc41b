#!/usr/bin/env bash
# cli.op_check_many_test: `intvit op check` over many cases in one process (docs/cli.md):
# directories searched for case folders, an index.json of `intvit vectors`, several CASE
# arguments; one line per failing or malformed case, a summary per op, the worst exit code.
# Usage: bash op_check_many_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
intvit=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EXPECT_TIMEOUT=120
source "$(dirname "$0")/../lib/cli_expect.sh"
v=$root/vectors

# has_line LABEL LINE: stdout has LINE alone on a line.
has_line() { grep -qxF -- "$2" <<<"$out" || fail "$1: no line '$2' in: $out"; }
cases_in() { find "$@" -name manifest.json | wc -l; }

n_examples=$(cases_in "$v/examples")
n_ivit=$(cases_in "$v/ivit")
n_malformed=$(cases_in "$v/malformed")

# 1. A folder of good cases: exit 0, no per-case lines, the table and the total line.
expect_rc 0 "examples" -- "$intvit" op check "$v/examples" && {
  has_line examples "$n_examples passed, 0 failed"
  grep -qE "^total +$n_examples +$n_examples +0 +0$" <<<"$out" || fail "examples: total row: $out"
  grep -qE "^op +cases +passed +failed +malformed$" <<<"$out" || fail "examples: header: $out"
  grep -qE "^(FAIL|MALFORMED) " <<<"$out" && fail "examples: a per-case line: $out"
  [[ -z $err ]] || fail "examples: stderr: $err"
  for op in requant shiftmax shiftgelu layernorm linear matmul conv_patch; do
    grep -qE "^$op +[1-9]" <<<"$out" || fail "examples: no row for $op: $out"
  done
}

# 2. Two folders (what tools/demo.sh runs); --jobs 1 prints the same as every core.
expect_rc 0 "examples+ivit" -- "$intvit" op check "$v/examples" "$v/ivit" &&
  has_line "examples+ivit" "$((n_examples + n_ivit)) passed, 0 failed"
all_cores=$out
expect_rc 0 "examples+ivit --jobs 1" -- "$intvit" op check --jobs 1 "$v/examples" "$v/ivit" &&
  [[ $out == "$all_cores" ]] || fail "--jobs 1 prints differently: $out"

# 3. The malformed set: exit 2, one MALFORMED line per case naming its problem (expect.txt).
expect_rc 2 "malformed" -- "$intvit" op check "$v/malformed" && {
  has_line malformed "0 passed, 0 failed"
  has_line malformed "$n_malformed malformed"
  grep -qE "^total +$n_malformed +0 +0 +$n_malformed$" <<<"$out" || fail "malformed: total: $out"
  [[ $(grep -c "^MALFORMED " <<<"$out") == "$n_malformed" ]] ||
    fail "malformed: want $n_malformed MALFORMED lines: $out"
  for d in "$v"/malformed/*/; do
    name=$(basename "$d")
    line=$(grep -F "/malformed/$name/" <<<"$out" | grep "^MALFORMED ")
    [[ -n $line ]] || { fail "malformed $name: no MALFORMED line"; continue; }
    grep -qF -- "$(cat "$d/expect.txt")" <<<"$line" ||
      fail "malformed $name: '$line' lacks '$(cat "$d/expect.txt")'"
  done
}

# 4. A mismatch among good cases: exit 1, one FAIL line with the first differing index.
expect_rc 1 "mismatch" -- "$intvit" op check "$v/examples" "$v/mismatch" && {
  has_line mismatch "$n_examples passed, 1 failed"
  [[ $(grep -c "^FAIL linear (golden): " <<<"$out") == 1 ]] || fail "mismatch: FAIL line: $out"
  grep -qF -- "$(cat "$v/mismatch/linear_off_by_one/expect.txt")" <<<"$out" ||
    fail "mismatch: lacks expect.txt: $out"
}

# 5. Malformed wins over mismatch: exit 2.
expect_rc 2 "everything" -- "$intvit" op check "$v" &&
  has_line everything "$((n_examples + n_ivit)) passed, 1 failed"

# 6. A case given twice (a folder and a case in it) is checked once.
expect_rc 0 "duplicate" -- "$intvit" op check "$v/examples" "$v/examples/linear_tile/" \
  "$v/examples/linear_tile/manifest.json" && has_line duplicate "$n_examples passed, 0 failed"

# 7. One case found keeps the single-case output: one PASS line.
mkdir -p "$tmp/one"
cp -r "$v/examples/linear_tile" "$tmp/one/"
expect_rc 0 "one case" -- "$intvit" op check "$tmp/one" &&
  [[ $out == "PASS linear "* && $(wc -l <<<"$out") == 1 ]] || fail "one case: $out"

# 8. The index.json of `intvit vectors`: the cases it lists, all passing.
expect_rc 0 "cut" -- "$intvit" vectors --model random:vit-tiny-test:1 -q \
  --layer blocks.0.attn,blocks.0.norm1 -o "$tmp/cut" && {
  listed=$(($(wc -l <"$tmp/cut/index.csv") - 1))
  expect_rc 0 "index.json" -- "$intvit" op check "$tmp/cut/index.json" &&
    has_line index.json "$listed passed, 0 failed"
  expect_rc 0 "cut folder" -- "$intvit" op check "$tmp/cut" &&
    has_line "cut folder" "$listed passed, 0 failed"
}

# 9. Bad arguments are one error line and exit 2.
bad() {
  local label=$1 want=$2
  shift 3
  expect_rc 2 "$label" -- "$@" || return
  [[ $err == "error: "* && $(wc -l <<<"$err") == 1 ]] || fail "$label: stderr: $err"
  grep -qF -- "$want" <<<"$err" || fail "$label: '$err' lacks '$want'"
}
mkdir -p "$tmp/empty" "$tmp/badindex"
bad "empty folder" "no cases" -- "$intvit" op check "$tmp/empty"
echo '{"format": "something-else", "cases": []}' >"$tmp/badindex/index.json"
bad "wrong index format" "not an intvit vector index" -- "$intvit" op check "$tmp/badindex/index.json"
echo '{"format": "intvit-vector-index-v1", "cases": [{"path": "/etc"}]}' >"$tmp/badindex/index.json"
bad "absolute index path" "must be relative" -- "$intvit" op check "$tmp/badindex/index.json"
bad "--wave with many" "--wave" -- "$intvit" op check --wave "$tmp/w.vcd" "$v/examples"
bad "--impl unknown" "--impl" -- "$intvit" op check --impl fpga "$v/examples"

if ((failures > 0)); then
  echo "op_check_many_test: $failures failures"
  exit 1
fi
echo "op_check_many_test: all checks pass"
