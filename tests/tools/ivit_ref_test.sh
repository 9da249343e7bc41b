#!/usr/bin/env bash
# A real I-ViT checkpoint, bit for bit: tools/export_ivit.py converts shared/ivit-ref/model.pth
# (made by I-ViT's own code), `intvit run` runs both reference images, and
# tools/compare_ivit_refs.py compares every recorded module, multiplier, x0 and the logits with
# I-ViT's float64 reference (exact equality). Also: a checkpoint that is not an I-ViT
# state_dict is one `error:` line naming the missing key, exit 2.
# shared/ sits beside the checkout (INTVIT_SHARED_DIR overrides); without it the test skips (77).
# usage: ivit_ref_test.sh <intvit binary> <source dir>
set -euo pipefail
bin=$1
src=$2
ref=${INTVIT_SHARED_DIR:-$src/../shared}/ivit-ref
if [[ ! -f $ref/model.pth || ! -f $ref/refs.npz ]]; then
  echo "ivit_ref_test: skipped: no I-ViT reference at $ref (shared/ beside the checkout)"
  exit 77
fi
py=
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
done
if [[ -z $py ]]; then
  echo "ivit_ref_test: skipped: no python3 with numpy (Debian python3-numpy)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$py" "$src/tools/export_ivit.py" "$ref/model.pth" -o "$tmp/ivit.safetensors"
runs=()
for k in 0 1; do
  "$bin" run --model "$tmp/ivit.safetensors" --image "$ref/img$k.ppm" --preprocess none \
    --save-tensors "$tmp/run$k/tensors" --save-logits "$tmp/run$k/logits.npy" >"$tmp/run$k.txt"
  runs+=("$tmp/run$k")
done
"$py" "$src/tools/compare_ivit_refs.py" "$ref" "$tmp/ivit.safetensors" "${runs[@]}" \
  || fail "intvit differs from I-ViT's reference"

# The same picture as PNG (written here with Python's zlib) gives the same logits as the PPM.
"$py" - "$ref/img0.ppm" "$tmp/img0.png" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
head = b.split(b"\n", 3)
w, h = map(int, head[1].split())
px = head[3]
raw = b"".join(b"\0" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[2], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                             + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
"$bin" run --model "$tmp/ivit.safetensors" --image "$tmp/img0.png" --preprocess none \
  --save-logits "$tmp/png_logits.npy" >/dev/null
cmp -s "$tmp/png_logits.npy" "$tmp/run0/logits.npy" || fail "img0 as PNG gives other logits than the PPM"
# --preprocess deit (the default) resizes and centre-crops, so the same file gives other logits.
"$bin" run --model "$tmp/ivit.safetensors" --image "$ref/img0.ppm" \
  --save-logits "$tmp/deit_logits.npy" >/dev/null
! cmp -s "$tmp/deit_logits.npy" "$tmp/run0/logits.npy" || fail "--preprocess none changed nothing"
# Not a regular file: refused at once, exit 2.
set +e
timeout 10 "$bin" run --model "$tmp/ivit.safetensors" --image /dev/zero 2>"$tmp/err.txt"
rc=$?
set -e
[[ $rc -eq 2 ]] && grep -q "must be a regular file" "$tmp/err.txt" \
  || fail "--image /dev/zero: exit $rc, $(cat "$tmp/err.txt")"

# Not an I-ViT state_dict: rename one key in the pickle (same length, so the pickle stays valid).
"$py" - "$ref/model.pth" "$tmp/renamed.pth" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zi, zipfile.ZipFile(sys.argv[2], "w") as zo:
    for n in zi.namelist():
        b = zi.read(n)
        if n.endswith("/data.pkl"):
            b = b.replace(b"head.bias_integer", b"head.bias_integeX")
        zo.writestr(n, b)
PY
set +e
"$py" "$src/tools/export_ivit.py" "$tmp/renamed.pth" -o "$tmp/bad.safetensors" 2>"$tmp/err.txt"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "a checkpoint without head.bias_integer: exit $rc, want 2"
[[ $(wc -l <"$tmp/err.txt") -eq 1 ]] && grep -q "^error: .*'head.bias_integer'" "$tmp/err.txt" \
  || fail "want one error line naming head.bias_integer, got: $(cat "$tmp/err.txt")"
[[ ! -e $tmp/bad.safetensors ]] || fail "a refused checkpoint still wrote a model file"
echo "ivit_ref_test: ok"
