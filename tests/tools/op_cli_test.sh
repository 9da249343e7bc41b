#!/usr/bin/env bash
# cli.op_cli_test: `intvit op check|run` on the committed cases (docs/vectors.md).
#   vectors/examples/*    check exits 0 with one PASS line; run rewrites them byte for byte
#   vectors/malformed/*   check exits 2 with one "error: ..." line containing expect.txt
#   vectors/mismatch/*    check exits 1 and prints expect.txt (the first-index report)
# Usage: bash op_cli_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
intvit=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EXPECT_TIMEOUT=60
source "$(dirname "$0")/../lib/cli_expect.sh"

# 1. Every example passes, and every op of the format has one.
for d in "$root"/vectors/examples/*/; do
  name=$(basename "$d")
  expect_rc 0 "example $name" -- "$intvit" op check "$d" || continue
  [[ $out == "PASS "* && $(wc -l <<<"$out") == 1 && -z $err ]] ||
    fail "example $name: want one PASS line, got: $out $err"
done
for op in requant shiftmax shiftgelu layernorm linear matmul conv_patch; do
  grep -q "\"op\": \"$op\"" "$root"/vectors/examples/*/manifest.json || fail "no example for $op"
done

# 2. Every malformed case is exit 2 with a single error line naming the field.
n_malformed=0
for d in "$root"/vectors/malformed/*/; do
  name=$(basename "$d")
  n_malformed=$((n_malformed + 1))
  want=$(head -n 1 "$d/expect.txt")
  expect_rc 2 "malformed $name" -- "$intvit" op check "$d" || continue
  [[ -z $out && $(wc -l <<<"$err") == 1 && $err == "error: "* ]] ||
    fail "malformed $name: want one 'error: ' line on stderr, got: $err"
  grep -qF -- "$want" <<<"$err" || fail "malformed $name: '$err' lacks '$want'"
done
((n_malformed >= 30)) || fail "only $n_malformed malformed cases"

# 3. The deliberately wrong case is exit 1 with the first mismatch as coordinates.
for d in "$root"/vectors/mismatch/*/; do
  name=$(basename "$d")
  want=$(head -n 1 "$d/expect.txt")
  expect_rc 1 "mismatch $name" -- "$intvit" op check "$d" || continue
  [[ $out == "FAIL "* ]] || fail "mismatch $name: want a FAIL line, got: $out"
  grep -qF -- "$want" <<<"$out" || fail "mismatch $name: '$out' lacks '$want'"
done

# 4. `op run` on each example writes the same files back (up to meta.generator), and they pass.
for d in "$root"/vectors/examples/*/; do
  name=$(basename "$d")
  expect_rc 0 "run $name" -- "$intvit" op run "$d" -o "$tmp/run/$name" || continue
  [[ $out == "wrote $tmp/run/$name/manifest.json: "* ]] || fail "run $name: got: $out"
  expect_rc 0 "check run $name" -- "$intvit" op check "$tmp/run/$name"
  diff <(grep -v '"generator"' "$d/manifest.json") \
       <(grep -v '"generator"' "$tmp/run/$name/manifest.json") >/dev/null ||
    fail "run $name: manifest differs from the committed one"
  for f in "$d"*.hex; do
    [[ -e $f ]] || continue
    cmp -s "$f" "$tmp/run/$name/$(basename "$f")" || fail "run $name: $(basename "$f") differs"
  done
done

# 5. A case without outputs: run fills them in (declared dtype kept when given), then check passes;
#    check on the input case itself is exit 2; the manifest path works as CASE too.
mkdir -p "$tmp/in"
cat >"$tmp/in/manifest.json" <<'JSON'
{"format": "intvit-vector-v1", "op": "shiftgelu", "params": {"x0": -12},
 "inputs": {"x": {"dtype": "int8", "shape": [2, 2], "data": [4, -4, -4, -8]}},
 "meta": {"seed": 1, "source": "op_cli_test"}}
JSON
expect_rc 2 "check without outputs" -- "$intvit" op check "$tmp/in"
grep -qF "outputs: the case has no expected outputs" <<<"$err" || fail "no-outputs message: $err"
expect_rc 0 "run without outputs" -- "$intvit" op run "$tmp/in/manifest.json" -o "$tmp/filled"
grep -qF '"data": [264, -192, -192, -336]' "$tmp/filled/manifest.json" ||
  fail "run without outputs: wrong y: $(cat "$tmp/filled/manifest.json")"
grep -qF '"dtype": "int16"' "$tmp/filled/manifest.json" || fail "shiftgelu natural dtype"
grep -qF '"source": "op_cli_test"' "$tmp/filled/manifest.json" || fail "run dropped meta"
grep -qF '"generator": "intvit ' "$tmp/filled/manifest.json" || fail "run wrote no generator"
expect_rc 0 "check filled" -- "$intvit" op check "$tmp/filled/manifest.json"
# Run in place: the output directory is the input directory.
expect_rc 0 "run in place" -- "$intvit" op run "$tmp/filled" -o "$tmp/filled"
expect_rc 0 "check in place" -- "$intvit" op check "$tmp/filled"

# 6. Usage errors are exit 2; --help is exit 0 on every subcommand.
expect_rc 2 "op without subcommand" -- "$intvit" op
expect_rc 2 "check without CASE" -- "$intvit" op check
expect_rc 2 "run without -o" -- "$intvit" op run "$tmp/in"
expect_rc 2 "unknown impl" -- "$intvit" op check --impl fpga "$root/vectors/examples/linear_tile"
grep -qF -- '--impl: unknown implementation "fpga"' <<<"$err" || fail "unknown impl message: $err"
expect_rc 2 "missing case" -- "$intvit" op check "$tmp/nonexistent"
grep -qF "no such file" <<<"$err" || fail "missing case message: $err"
for sub in "op" "op check" "op run"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$sub --help" -- "$intvit" $sub --help
  grep -q "Usage" <<<"$out" || fail "$sub --help prints no usage"
done

# 7. Unbounded input never hangs: a hex file that is /dev/zero, a manifest that is /dev/zero.
#    Both are refused before any read: only regular files are read (docs/robustness.md).
if [[ -e /dev/zero ]]; then
  mkdir -p "$tmp/zero"
  cat >"$tmp/zero/manifest.json" <<'JSON'
{"format": "intvit-vector-v1", "op": "shiftmax", "params": {"x0": -47},
 "inputs": {"x": {"dtype": "int8", "shape": [1000, 1000], "file": "x.hex"}}}
JSON
  ln -s /dev/zero "$tmp/zero/x.hex"
  expect_rc 2 "hex /dev/zero" -- "$intvit" op run "$tmp/zero" -o "$tmp/zero_out"
  grep -qF "x.hex: inputs.x.file: is a character device" <<<"$err" || fail "/dev/zero hex: $err"
  expect_rc 2 "manifest /dev/zero" -- "$intvit" op check /dev/zero
  grep -qF "/dev/zero: is a character device" <<<"$err" || fail "/dev/zero manifest: $err"
fi

echo "$checks checks, $failures failures"
((failures == 0))
