#!/usr/bin/env bash
# `intvit compile`, `intvit exec` and `intvit info --arch`: outputs, exit codes, messages.
# usage: compile_exec_test.sh <intvit binary> <source dir>
set -euo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# compile writes the program, its listing and the memory map, and prints a summary.
"$bin" compile --model random:vit-tiny-test:3 --arch tiny4 -o "$tmp/out" >"$tmp/compile.txt"
for f in program.bin program.asm memory_map.json dram_image.bin effective_config.json; do
  [[ -s "$tmp/out/$f" ]] || fail "compile did not write $f"
done
grep -q "instructions by opcode" "$tmp/compile.txt" || fail "no summary"
grep -q "^; ---- layer 0: patch_embed" "$tmp/out/program.asm" || fail "no layer comment"
head -c 8 "$tmp/out/program.bin" | grep -q IVITPRG1 || fail "bad program.bin magic"

# exec is bit-exact and says so; -p overrides apply; an arch file path works.
"$bin" exec --model random:vit-tiny-test:2 --arch "$src/configs/arch/small_sram.json" \
  -p sram.act.kib=12 >"$tmp/exec.txt" || fail "exec failed: $(cat "$tmp/exec.txt")"
grep -q "^PASS: " "$tmp/exec.txt" || fail "no PASS line"
grep -q "^PASS blocks.1.mlp.fc2" "$tmp/exec.txt" || fail "no per-layer line"
"$bin" exec -q --model random:vit-tiny-test --arch base16 --shuffle 5 | grep -q "^PASS: " \
  || fail "shuffled exec failed"

# A mismatch exits 1 and names the first differing element.
set +e
"$bin" exec -q --model random:vit-tiny-test --arch tiny4 --fault >"$tmp/fault.txt"; rc=$?
set -e
[[ $rc == 1 ]] || fail "fault: exit $rc"
grep -q "^FAIL: 1 of .* first mismatch: layer .*\[1, 0\]: expected" "$tmp/fault.txt" \
  || fail "fault report: $(cat "$tmp/fault.txt")"

# --image: a PPM through a synthesized model (it has the input scale) is bit-exact and named;
# a model without an input scale refuses it with exit 2 and the reason.
"$bin" synth --preset vit-tiny-test --seed 2 --calib-images 2 -o "$tmp/m.safetensors" >/dev/null
{ printf 'P6\n8 6\n255\n'; head -c 144 /dev/zero | tr '\0' '\200'; } >"$tmp/img.ppm"
"$bin" exec -q --model "$tmp/m.safetensors" --arch tiny4 --image "$tmp/img.ppm" >"$tmp/img.txt" \
  || fail "exec --image failed: $(cat "$tmp/img.txt")"
grep -q "^model m.safetensors on arch tiny4, .*img.ppm: " "$tmp/img.txt" || fail "image not named"
grep -q "^PASS: " "$tmp/img.txt" || fail "exec --image: no PASS line"
"$bin" exec -q --model "$tmp/m.safetensors" --arch tiny4 | grep -q "synthetic image, seed 1" \
  || fail "a synthesized model should run on the synthetic image, as intvit run does"
set +e
"$bin" exec -q --model random:vit-tiny-test --image "$tmp/img.ppm" 2>"$tmp/img_err.txt"; rc=$?
set -e
[[ $rc == 2 ]] || fail "--image on a model without input scale: exit $rc, want 2"
grep -q "^error: --image .*no input scale" "$tmp/img_err.txt" || fail "$(cat "$tmp/img_err.txt")"

# info describes every arch field.
"$bin" info --arch base16 >"$tmp/info.txt"
grep -q "sram.act.kib *256 " "$tmp/info.txt" || fail "info lacks sram.act.kib"
grep -q "array.dataflow" "$tmp/info.txt" || fail "info lacks array.dataflow"

# Errors exit 2 with a message naming the problem.
set +e
"$bin" info --arch base16 -p array.colz=3 2>"$tmp/err1.txt"; rc1=$?
"$bin" exec --model random:deit-tiny --arch base16 -p sram.acc.kib=1 2>"$tmp/err2.txt"; rc2=$?
"$bin" compile --model random:no-such-model -o "$tmp/x" 2>"$tmp/err3.txt"; rc3=$?
set -e
[[ $rc1 == 2 ]] && grep -q "array.colz" "$tmp/err1.txt" || fail "unknown key: rc $rc1 $(cat "$tmp/err1.txt")"
[[ $rc2 == 2 ]] && grep -q "layer blocks.0.attn" "$tmp/err2.txt" || fail "no-fit: rc $rc2 $(cat "$tmp/err2.txt")"
[[ $rc3 == 2 ]] && grep -q "no-such-model" "$tmp/err3.txt" || fail "bad model: rc $rc3"
echo "all CLI checks passed"
