#!/usr/bin/env bash
# cli.vectors_cli_test: `intvit vectors` cuts cases from a golden run of random:vit-tiny-test:1
# (docs/vectors.md §Cutting cases from a model).
#   - whole and tile cases for a few layers and every op: each one passes `intvit op check`,
#     the index lists exactly the cases on disk, manifests carry their provenance;
#   - filters (--whole, --tiles, --op), --list, the --max-cases guard (nothing written);
#   - bad input is exit 2 with a clear message: unknown layer, unknown op, add, bad arch,
#     unwritable -o, --whole with --tiles.
# Usage: bash vectors_cli_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
intvit=$1
root=$2
tmp=$(mktemp -d /tmp/vect-cli.XXXXXX)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
EXPECT_TIMEOUT=60
source "$(dirname "$0")/../lib/cli_expect.sh"
model=random:vit-tiny-test:1

# expect_error LABEL SUBSTRING -- CMD...: exit 2 and one "error: " line containing SUBSTRING.
expect_error() {
  local label=$1 want=$2
  shift 3
  expect_rc 2 "$label" -- "$@" || return
  [[ $err == "error: "* ]] || fail "$label: want 'error: ...' on stderr, got: $err"
  grep -qF -- "$want" <<<"$err" || fail "$label: '$err' lacks '$want'"
}
# check_all DIR: op check on every case in DIR's index (one process); the index matches the disk.
check_all() {
  local dir=$1
  local on_disk listed
  on_disk=$(find "$dir" -name manifest.json | wc -l)
  listed=$(($(wc -l <"$dir/index.csv") - 1))
  [[ $on_disk == "$listed" && $listed -gt 0 ]] ||
    fail "$dir: index.csv lists $listed cases, $on_disk manifests on disk"
  expect_rc 0 "op check $dir/index.json" -- "$intvit" op check "$dir/index.json" || return
  if ((listed > 1)); then
    grep -qxF "$listed passed, 0 failed" <<<"$out" || fail "op check $dir: $out"
  fi
  echo "op check: $listed cases in $dir"
}

# 1. Whole ops and tiles of a few layers, every op: all pass op check. array.rows 24 makes
#    partial K folds (K = 64, 256, 768); vit-tiny-test's 5 tokens make partial N and row blocks.
a=$tmp/a
expect_rc 0 "cut layers" -- "$intvit" vectors --model $model -p array.rows=24 \
  --layer blocks.0.attn,blocks.1.norm2,blocks.1.mlp.act,head --layer patch_embed.qact -o "$a"
grep -q "^wrote .* cases" <<<"$out" || fail "cut layers: no summary line: $out"
check_all "$a"
for op in requant shiftmax shiftgelu layernorm linear matmul; do
  grep -q ",$op,whole," "$a/index.csv" || fail "no whole $op case in $a/index.csv"
  grep -q ",$op,tile," "$a/index.csv" || fail "no $op tile in $a/index.csv"
done
m=$a/blocks.0.attn.qkv/tiles/m0_n1_k2/manifest.json
[[ -f $m ]] || fail "missing $m"
for key in '"generator": "intvit ' '"model": "random:vit-tiny-test:1"' '"model_seed": 1' \
  '"image_seed": 1' '"layer": "blocks.0.attn.qkv"' '"arch": "base16"' '"kind": "tile"' \
  '"depth": [48, 64]' '"cols": [16, 32]' '"name": "m0_n1_k2"'; do
  grep -qF -- "$key" "$m" || fail "$m lacks $key"
done
# x of that tile: int8 [5, 16], one two-digit hex value per line.
[[ $(wc -l <"$a/blocks.0.attn.qkv/tiles/m0_n1_k2/x.hex") == 80 ]] || fail "x.hex is not 80 lines"
grep -qvE '^[0-9a-f]{2}$' "$a/blocks.0.attn.qkv/tiles/m0_n1_k2/x.hex" && fail "x.hex has a bad line"
grep -q '"format": "intvit-vector-index-v1"' "$a/index.json" || fail "index.json format"
if command -v python3 >/dev/null; then  # valid JSON, and it counts what it lists
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); assert j["counts"]["cases"] == len(j["cases"]) == int(sys.argv[2])' \
    "$a/index.json" "$(($(wc -l <"$a/index.csv") - 1))" || fail "$a/index.json is not valid or miscounts"
fi
# The expected outputs are the golden run's bits: the same as `intvit run --trace-out`.
expect_rc 0 "run --trace-out" -- "$intvit" run --model $model --seed 1 --trace-out "$tmp/trace"
for layer in blocks.0.attn.qkv blocks.0.attn.qact1 blocks.1.norm2; do
  cmp -s "$a/$layer/whole/y.hex" "$tmp/trace/$layer.hex" ||
    fail "$layer: whole/y.hex differs from the trace of intvit run"
done

# 2. The patch embedding: a whole conv_patch and its im2col linear folds.
p=$tmp/p
expect_rc 0 "cut patch_embed.proj" -- "$intvit" vectors --model $model --layer patch_embed.proj \
  --op conv_patch -p array.rows=96 -p array.cols=24 -q -o "$p"
[[ -z $out ]] || fail "-q still printed: $out"
check_all "$p"
grep -q ',conv_patch,conv_patch,whole,' "$p/index.csv" || fail "no whole conv_patch"
grep -q ',conv_patch,linear,tile,m0_n2_k7,' "$p/index.csv" || fail "no last conv fold tile"

# 3. Filters: --whole, --tiles, --op, --tile-rows; the image seed changes the bits.
expect_rc 0 "whole shiftmax" -- "$intvit" vectors --model $model --op shiftmax --whole -o "$tmp/w"
[[ $(find "$tmp/w" -name manifest.json | wc -l) == 4 ]] || fail "want 4 whole shiftmax cases"
expect_rc 0 "tiles layernorm" -- "$intvit" vectors --model $model --op layernorm --tiles \
  --tile-rows 2 --layer blocks.0 -o "$tmp/t"
[[ -f $tmp/t/blocks.0.norm1/tiles/r2/manifest.json && ! -e $tmp/t/blocks.0.norm1/whole ]] ||
  fail "--tiles --tile-rows 2: want tiles r0..r2 and no whole case"
check_all "$tmp/t"
expect_rc 0 "image seed 2" -- "$intvit" vectors --model $model --op shiftmax --whole \
  --image-seed 2 --layer blocks.0.attn.int_softmax.h0 -o "$tmp/s2"
cmp -s "$tmp/w/blocks.0.attn.int_softmax.h0/whole/x.hex" \
  "$tmp/s2/blocks.0.attn.int_softmax.h0/whole/x.hex" && fail "--image-seed 2 gave the same input"
grep -qF '"image_seed": 2' "$tmp/s2/blocks.0.attn.int_softmax.h0/whole/manifest.json" ||
  fail "image_seed 2 not stamped"

# 3b. A model file: its SHA-256 is stamped, and the synthetic image of `intvit run` is used.
expect_rc 0 "synth" -- "$intvit" synth --preset vit-tiny-test --calib-images 1 -o "$tmp/m.safetensors"
expect_rc 0 "cut from a file" -- "$intvit" vectors --model "$tmp/m.safetensors" \
  --layer blocks.1.mlp.act,blocks.1.attn.int_softmax.h0 -o "$tmp/f"
check_all "$tmp/f"
mf=$tmp/f/blocks.1.mlp.act/whole/manifest.json
if command -v sha256sum >/dev/null; then
  sum=$(sha256sum "$tmp/m.safetensors" | cut -d' ' -f1)
  grep -qF "\"model_sha256\": \"$sum\"" "$mf" || fail "$mf lacks model_sha256 $sum"
fi
grep -qF '"image": "synthetic image, seed 1"' "$mf" || fail "$mf: not the synthetic image"

# 4. --list writes nothing; the --max-cases guard refuses before writing anything.
expect_rc 0 "list" -- "$intvit" vectors --model $model --list --layer blocks.1.attn.qkv
grep -q "blocks.1.attn.qkv *linear" <<<"$out" || fail "--list lacks the node: $out"
expect_error "max cases" "over --max-cases 3" -- "$intvit" vectors --model $model --max-cases 3 \
  -o "$tmp/big"
expect_error "max mb" "over --max-mb 1" -- "$intvit" vectors --model $model --max-cases 0 \
  --max-mb 1 -o "$tmp/big"
[[ ! -e $tmp/big ]] || fail "--max-cases/--max-mb: the output directory was created"

# 5. Bad input: exit 2, one clear line, nothing written.
expect_error "unknown layer" '"blocks.9.attn" matches no node' -- \
  "$intvit" vectors --model $model --layer blocks.9.attn -o "$tmp/x"
grep -qF "blocks.0.attn.int_softmax.h0" <<<"$err" || fail "unknown layer: no node listing: $err"
expect_error "data-move layer" "moves data" -- \
  "$intvit" vectors --model $model --layer cls_concat -o "$tmp/x"
expect_error "unknown op" "--op softmax: unknown op (known: requant, shiftmax" -- \
  "$intvit" vectors --model $model --op softmax -o "$tmp/x"
expect_error "op add" "add is not an intvit-vector-v1 op" -- \
  "$intvit" vectors --model $model --op add -o "$tmp/x"
expect_error "layer without op" "hold no linear op" -- \
  "$intvit" vectors --model $model --layer blocks.0.norm1 --op linear -o "$tmp/x"
expect_error "bad arch" "nosuch" -- "$intvit" vectors --model $model --arch nosuch -o "$tmp/x"
expect_error "bad arch key" "array.rowz" -- \
  "$intvit" vectors --model $model -p array.rowz=3 -o "$tmp/x"
expect_error "bad model" "unknown model preset" -- "$intvit" vectors --model random:nope -o "$tmp/x"
[[ ! -e $tmp/x ]] || fail "bad input: $tmp/x was created"
touch "$tmp/file"
expect_error "-o is a file" "cannot create the output directory" -- \
  "$intvit" vectors --model $model --layer head -o "$tmp/file/sub"
if [[ $(id -u) != 0 ]]; then
  mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
  expect_error "-o read-only" "-o $tmp/ro/out" -- \
    "$intvit" vectors --model $model --layer head -o "$tmp/ro/out"
fi
expect_rc 2 "whole and tiles" -- "$intvit" vectors --model $model --whole --tiles -o "$tmp/x"
expect_error "no -o" "-o DIR is required" -- "$intvit" vectors --model $model --layer head

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "vectors CLI: all checks pass"
