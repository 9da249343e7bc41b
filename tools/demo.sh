#!/usr/bin/env bash
# The end-to-end showcase behind `./run.sh demo`. Argument: the build directory.
# Steps: synthesize DeiT-Tiny (cached), run it golden with the float comparison, simulate it
# on base16 with the bit-exact check, co-simulate it with every unit on its RTL, check the
# committed op vectors, and quantize and evaluate the digits ViT (real data).
set -euo pipefail
build=${1:-build}
intvit="$build/intvit"
out=out/demo
mkdir -p "$out"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

model="$out/deit-tiny-seed1.safetensors"
if [[ -f "$model" ]] && "$intvit" info "$model" >/dev/null 2>&1; then
  step "DeiT-Tiny model: cached at $model"
else
  step "intvit synth: DeiT-Tiny with seeded weights, PTQ-calibrated, quantized I-ViT style"
  "$intvit" synth --preset deit-tiny --seed 1 -o "$model"
fi

step "intvit run: golden integer inference on a seeded synthetic image, against float"
"$intvit" run --model "$model" --seed 7 --compare-float
# The time above keeps every tensor for the float table and counts one cold image; this is the
# steady-state figure the speed target is about (docs/speed.md).
step "intvit run: steady-state speed, no trace kept (mean of 50 images)"
"$intvit" run --model "$model" --seed 7 --repeat 50 | grep '^time:'

step "intvit compile + exec: the Program for base16, run functionally on the same image, every DRAM tensor checked"
"$intvit" compile --model "$model" --arch base16 -o "$out/program-base16" | tail -n 12
"$intvit" exec --model "$model" --arch base16 --image-seed 7 | tail -n 3

if "$intvit" sim --help >/dev/null 2>&1; then
  step "intvit sim: the TLM model of base16 running the compiled program, bits checked"
  "$intvit" sim --model "$model" --arch configs/arch/base16.json --image-seed 7 \
    --out "$out/sim-base16" --trace
  echo "trace: $out/sim-base16/trace.json (open it in https://ui.perfetto.dev)"
fi

if "$intvit" cosim --help >/dev/null 2>&1; then
  step "intvit cosim: the same program with every unit on its Verilated RTL inside the TLM model"
  "$intvit" cosim --model "$model" --arch base16 --image-seed 7 --out "$out/cosim-base16" -q |
    sed -n '/^co-simulation/,$p'
fi

step "intvit op check: committed vector cases (examples and I-ViT reference cases)"
# One process checks them all: a line per failing case, a table per op, `N passed, N failed`.
"$intvit" op check vectors/examples vectors/ivit

step "intvit quantize + eval: the tiny ViT trained on handwritten digits (tools/digits), integer vs float"
"$intvit" quantize --float tools/digits/digits_vit.safetensors --config tools/digits/config.json \
  --calib tools/digits/calib -o "$out/digits.safetensors" | tail -n 1
"$intvit" eval --model "$out/digits.safetensors" --data tools/digits/test \
  --float tools/digits/digits_vit.safetensors --config tools/digits/config.json -o "$out/digits-eval"

if "$intvit" sweep --help >/dev/null 2>&1; then
  step "intvit sweep: six design points of the test ViT (array size x DRAM bandwidth), each bit-checked, with energy, area, plots and a report page"
  # The first sweep synthesizes each unit with yosys for its area (cached for later runs).
  sweep_args=(configs/sweeps/quick.json -o "$out/sweep-quick")
  [[ -f "$out/sweep-quick/spec.json" ]] && sweep_args+=(--resume)
  "$intvit" sweep "${sweep_args[@]}"
  echo "report page: $out/sweep-quick/index.html"
fi
