#!/usr/bin/env bash
# cli.robustness_cli_test: the inputs of issue #13 (docs/robustness.md). Each bad input must give
# ONE stderr line starting "error:" and exit 2, quickly: no hang, no crash, no exit 3.
# Usage: bash robustness_cli_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
intvit=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EXPECT_TIMEOUT=30
source "$(dirname "$0")/../lib/cli_expect.sh"

# bad LABEL WANT_SUBSTRING -- CMD...: exit 2, exactly one stderr line "error: ...WANT...".
bad() {
  local label=$1 want=$2
  shift 2
  expect_rc 2 "$label" "$@" || return 1
  [[ $(wc -l <<<"$err") == 1 && $err == "error: "* ]] ||
    fail "$label: want one 'error:' line, got: ${err:0:400}"
  [[ $err == *"$want"* ]] || fail "$label: '$want' not in: ${err:0:400}"
}

model=$tmp/m.safetensors
expect_rc 0 "synth" -- "$intvit" synth --preset vit-tiny-test --calib-images 1 -o "$model" ||
  { echo "cannot make a model"; exit 1; }

# synth's progress line appears on a terminal (script(1) gives it one) and -q turns it off.
if command -v script >/dev/null; then
  script -qec "$intvit synth --preset vit-tiny-test --calib-images 2 -o $tmp/p1.safetensors" \
    /dev/null >"$tmp/tty.txt" 2>&1
  grep -q "calibration image 2/2 (100 %)" "$tmp/tty.txt" || fail "synth shows no progress: $(cat "$tmp/tty.txt")"
  script -qec "$intvit synth --preset vit-tiny-test --calib-images 2 -q -o $tmp/p2.safetensors" \
    /dev/null >"$tmp/tty.txt" 2>&1
  grep -q "calibration image [0-9]" "$tmp/tty.txt" && fail "synth -q still shows progress"
  cmp -s "$tmp/p1.safetensors" "$tmp/p2.safetensors" || fail "synth -q wrote another model"
fi

# --- Names (issue item 6) and usage errors ---
bad "unknown subcommand" "unknown subcommand 'frobnicate'" -- "$intvit" frobnicate
# Arguments end up in JSON reports (UTF-8 only): a path or name with another byte is refused
# up front, naming the argument, never an internal error from the JSON writer.
bad "non-UTF-8 output path" "argument 5 is not valid UTF-8 text (byte 1)" -- \
  "$intvit" run --model random:vit-tiny-test:1 --save-logits $'x\xff.npy'
bad "non-UTF-8 model name" "argument 3 is not valid UTF-8 text (byte 7)" -- \
  "$intvit" info --model $'random:\xfe'
bad "unknown option" "--frob" -- "$intvit" run --model "$model" --frob
bad "missing argument" "--model" -- "$intvit" run
bad "option without its value" "--model" -- "$intvit" run --model
expect_rc 0 "synth --arch (deprecated alias)" -- "$intvit" synth --arch vit-tiny-test \
  --calib-images 1 -o "$tmp/alias.safetensors"
[[ $(grep -c "deprecated; use --preset" <<<"$err") == 1 ]] ||
  fail "synth --arch: want one deprecation note, got: $err"
cmp -s "$model" "$tmp/alias.safetensors" || fail "synth --arch and --preset differ"
expect_rc 0 "vectors --op gelu" -- "$intvit" vectors --model random:vit-tiny-test --op gelu --list
grep -q "shiftgelu" <<<"$out" || fail "vectors --op gelu selected no shiftgelu node: $out"
expect_rc 0 "run --trace-out" -- "$intvit" run --model "$model" --trace-out "$tmp/trace"
[[ -f $tmp/trace/golden_trace.json && ! -e $tmp/trace/trace.json ]] ||
  fail "run --trace-out: want golden_trace.json (and no trace.json)"

# --- Files that are not regular files ---
mkfifo "$tmp/fifo"
bad "--image FIFO" "is a FIFO" -- "$intvit" run --model "$model" --image "$tmp/fifo"
bad "--model FIFO" "is a FIFO" -- "$intvit" run --model "$tmp/fifo"
bad "--arch FIFO" "is a FIFO" -- "$intvit" info --arch "$tmp/fifo"
cp -r "$root/vectors/examples/linear_tile" "$tmp/case"
hex=$(ls "$tmp/case"/*.hex | head -1)
rm "$hex" && mkfifo "$hex"
bad "x.hex FIFO" "is a FIFO" -- "$intvit" op check "$tmp/case"
bad "--image /dev/zero" "is a character device" -- "$intvit" run --model "$model" --image /dev/zero
bad "--image directory" "is a directory" -- "$intvit" run --model "$model" --image "$tmp"
head -c 3000000 /dev/zero | tr '\0' x >"$tmp/big.ppm"
bad "--image non-PPM" "not a PNG, JPEG, binary PPM" -- "$intvit" run --model "$model" --image "$tmp/big.ppm"

# --- Output paths that cannot be folders: refused before any work ---
touch "$tmp/file"
bad "compile -o FILE" "exists and is not a directory" -- \
  "$intvit" compile --model "$model" -o "$tmp/file"
bad "run --trace-out FILE" "exists and is not a directory" -- \
  "$intvit" run --model "$model" --trace-out "$tmp/file"
[[ $out != *top-5* ]] || fail "run --trace-out FILE ran the model before refusing"
bad "synth -o DIR" "is a directory" -- "$intvit" synth --preset vit-tiny-test -o "$tmp"

# --- Arch configs: depth, trailing bytes, duplicate keys ---
python3 -c 'import sys; n = 50000; sys.stdout.write("{\"a\":" * n + "1" + "}" * n)' \
  >"$tmp/deep.json" 2>/dev/null || {
  printf '{"a":%.0s' $(seq 50000) >"$tmp/deep.json"
  echo 1 >>"$tmp/deep.json"
}
bad "arch nested 50000 deep (info)" "nested deeper than" -- "$intvit" info --arch "$tmp/deep.json"
bad "arch nested 50000 deep (compile)" "nested deeper than" -- \
  "$intvit" compile --model random:vit-tiny-test --arch "$tmp/deep.json" -o "$tmp/c"
printf '{"name": "x"}\0garbage' >"$tmp/nul.json"
bad "arch NUL then garbage" "NUL byte" -- "$intvit" info --arch "$tmp/nul.json"
printf '{"array": {"rows": 8, "rows": 4}}' >"$tmp/dup.json"
bad "arch duplicate key" "rows: duplicate key" -- "$intvit" info --arch "$tmp/dup.json"
printf '{"name": "x"} x' >"$tmp/trail.json"
bad "arch trailing bytes" "not valid JSON" -- "$intvit" info --arch "$tmp/trail.json"

# --- Vector manifests: NUL then garbage ---
cp -r "$root/vectors/examples/linear_tile" "$tmp/nulcase"
printf '\0garbage' >>"$tmp/nulcase/manifest.json"
bad "manifest NUL then garbage" "NUL byte" -- "$intvit" op check "$tmp/nulcase"

# --- Model files edited (python3 rewrites the safetensors header) ---
if command -v python3 >/dev/null; then
  edit() {  # edit OUT PYTHON: runs PYTHON on (header dict h, data bytearray d, metadata md)
    python3 - "$model" "$1" "$2" <<'PY'
import json, struct, sys
src, dst, code = sys.argv[1:4]
b = open(src, "rb").read()
n = struct.unpack("<Q", b[:8])[0]
h = json.loads(b[8:8 + n]); d = bytearray(b[8 + n:]); tail = b""
exec(code)
hb = json.dumps(h).encode() + tail
open(dst, "wb").write(struct.pack("<Q", len(hb)) + hb + bytes(d))
PY
  }
  edit "$tmp/div.safetensors" '
c = json.loads(h["__metadata__"]["intvit.config"]); c["div"] = 1
h["__metadata__"]["intvit.config"] = json.dumps(c)'
  bad "model div = 1" "div = 1 is out of range" -- "$intvit" run --model "$tmp/div.safetensors"
  edit "$tmp/nul.safetensors" 'tail = b"\0garbage"'
  bad "model header NUL then garbage" "NUL byte" -- "$intvit" run --model "$tmp/nul.safetensors"
  edit "$tmp/ref.safetensors" '
h = {(k.replace("reference.", "reference.renamed.", 1) if k.startswith("reference.blocks") else k): v
     for k, v in h.items()}'
  expect_rc 0 "model without reference.blocks.* runs" -- "$intvit" run --model "$tmp/ref.safetensors"
  bad "--compare-float without its tensors" "reference.blocks." -- \
    "$intvit" run --model "$tmp/ref.safetensors" --compare-float
  [[ $out != *top-5* ]] || fail "--compare-float ran the model before refusing"
  edit "$tmp/inf.safetensors" '
o = h["reference.input.std"]["data_offsets"][0]; d[o:o + 4] = struct.pack("<f", float("inf"))'
  bad "reference.input.std = inf" "tensor 'reference.input.std'[0] = inf" -- \
    "$intvit" run --model "$tmp/inf.safetensors"
  [[ $err == *inf.safetensors* ]] || fail "input.std = inf: the file is not named: $err"
fi

echo "$checks checks, $failures failures"
((failures == 0))
