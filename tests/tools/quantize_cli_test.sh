#!/usr/bin/env bash
# `intvit quantize`: a float ViT in timm's layout (here synth's seeded float model, written with
# --save-float) quantizes on a folder of pictures, agrees with its float model as synth's models
# do, gives the same file for every --jobs, and runs through `run --images` and `eval`. Every bad
# input is one `error:` line, exit 2, and no file written.
# usage: quantize_cli_test.sh <intvit binary> <source dir>
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/lib/cli_expect.sh
source "$src/tests/lib/cli_expect.sh"
pics=$src/tools/digits/calib  # 8x8 gray PNGs; repeated into RGB for this 3-channel model

expect 0 "wrote .*float.safetensors" "$bin" synth --preset vit-tiny-test --seed 2 \
  -o "$tmp/synth.safetensors" --save-float "$tmp/float.safetensors"
expect 0 "calibration: 16 of 64 images" \
  "$bin" quantize --float "$tmp/float.safetensors" --calib "$pics" --calib-count 16 -j 2 \
  -o "$tmp/q2.safetensors"
expect 0 "wrote" "$bin" quantize --float "$tmp/float.safetensors" --calib "$pics" \
  --calib-count 16 -j 1 -o "$tmp/q1.safetensors"
cmp -s "$tmp/q1.safetensors" "$tmp/q2.safetensors" || fail "quantize -j 1 and -j 2 differ"
# Float agreement of the same order as synth's own model (logits cosine >= 0.99).
expect 0 "logits cosine 0\.99" "$bin" run --model "$tmp/q2.safetensors" \
  --image "$pics/$(ls "$pics" | head -1)" --compare-float
expect 0 "logits cosine 0\.99" "$bin" run --model "$tmp/synth.safetensors" \
  --image "$pics/$(ls "$pics" | head -1)" --compare-float
# Several images: int64 logits [images, classes].
expect 0 "logits: .*\[64, 10\]" "$bin" run --model "$tmp/q2.safetensors" --images "$pics" \
  --save-logits "$tmp/logits.npy"
head -c 128 "$tmp/logits.npy" | grep -q "'descr': '<i8'.*'shape': (64, 10)" \
  || fail "logits.npy header: $(head -c 128 "$tmp/logits.npy")"

# Bad input: one error line, exit 2, nothing written.
mkdir -p "$tmp/empty" "$tmp/notimg"
echo hello >"$tmp/notimg/x.png"
echo '{"architecture": "deit_tiny_patch16_224"}' >"$tmp/tiny.json"
python3 - "$tmp/float.safetensors" "$tmp/renamed.safetensors" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b.replace(b'blocks.0.mlp.fc1.bias"', b'blocks.0.mlp.fc1.biaX"', 1))
PY
bad() {  # PATTERN ARGS...: quantize ARGS must fail with one error line matching PATTERN
  local pat=$1
  shift
  expect_rc 2 "quantize $*" -- "$bin" quantize "$@" -o "$tmp/bad.safetensors" || return
  [[ $(wc -l <"$tmp/stderr") -eq 1 ]] && grep -qE "^error: .*$pat" "$tmp/stderr" \
    || fail "quantize $*: stderr: $err"
  [[ ! -e $tmp/bad.safetensors ]] || fail "quantize $*: wrote a file"
}
bad "missing tensor 'blocks.0.mlp.fc1.bias' \(expected shape \[256\]\)" \
  --float "$tmp/renamed.safetensors" --calib "$pics"
bad "embed_dim is 192, but cls_token gives 64" --float "$tmp/float.safetensors" \
  --config "$tmp/tiny.json" --calib "$pics"
bad "no image files" --float "$tmp/float.safetensors" --calib "$tmp/empty"
bad "not a folder" --float "$tmp/float.safetensors" --calib "$tmp/nowhere"
bad "x.png: not a PNG, JPEG" --float "$tmp/float.safetensors" --calib "$tmp/notimg"
bad "must be a regular file" --float /dev/zero --calib "$pics"
expect 2 "^error: .*not an ImageFolder" "$bin" eval --model "$tmp/q2.safetensors" --data "$pics" \
  -o "$tmp/ev"
finish
