#!/usr/bin/env bash
# Area proxy of the intvit RTL units: yosys generic synthesis (`synth -flatten -top X`, no
# technology library) and `stat -tech cmos`, per unit at two or three sizes. Prints a Markdown
# table (cells, flip-flops, estimated CMOS transistors, memory bits) and writes it to OUT
# (default rtl_area.md in the current directory). docs/rtl.md quotes the figures.
# Units with a row buffer (Shiftmax, GELU, LayerNorm) keep it as one memory cell (`synth -run
# begin:fine`, then techmap and abc without memory_map): its bits are listed apart, and the
# cells and flip-flops are the logic around it.
# Usage: area.sh [REPO_ROOT] [OUT] [NAME_REGEX]   (cmake --build build --target rtl_area)
# The units import ivit_isa_pkg, which CMake generates from compiler/isa/isa.json when it
# configures: IVIT_ISA_PKG names it (default REPO_ROOT/build/generated/rtl/pkg/ivit_isa_pkg.sv).
# NAME_REGEX selects rows by name (the 16x16 array alone takes about 20 minutes).
# Needs the Debian package yosys (0.23 reads this SystemVerilog subset).
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${2:-rtl_area.md}
only=${3:-}
rtl=$root/rtl
command -v yosys >/dev/null || { echo "area.sh: yosys not found (apt-get install yosys)"; exit 2; }

pkg=${IVIT_ISA_PKG:-$root/build/generated/rtl/pkg/ivit_isa_pkg.sv}
[[ -f $pkg ]] || { echo "area.sh: $pkg not found; configure first (cmake -S . -B build)"; exit 2; }
array_src="$pkg $rtl/prim/ivit_delay.sv $rtl/array/ivit_mac.sv $rtl/array/ivit_pe.sv \
  $rtl/array/ivit_tile.sv $rtl/array/ivit_mesh.sv $rtl/array/ivit_array.sv"
shift_src="$pkg $rtl/prim/ivit_sat.sv $rtl/prim/ivit_round_shift.sv"
nl_src="$rtl/nonlinear/ivit_shift_exp.sv $rtl/prim/ivit_udiv.sv $rtl/nonlinear/ivit_row_walk.sv \
  $rtl/nonlinear/ivit_row_buf.sv $rtl/nonlinear/ivit_row_max.sv $rtl/prim/ivit_out_beat.sv"

# name | top | parameters (Name=Value ...) | sources
CONFIGS=(
  "MAC (17x8 + 32)|ivit_mac||$array_src"
  "PE (MAC + 2 weight regs)|ivit_pe||$array_src"
  "array 4x4|ivit_array|R=4 C=4|$array_src"
  "array 8x8|ivit_array|R=8 C=8|$array_src"
  "array 8x8, 2x2 tiles|ivit_array|R=8 C=8 TR=2 TC=2|$array_src"
  "array 16x16|ivit_array|R=16 C=16|$array_src"
  "round_shift 96->64|ivit_round_shift|InW=96 OutW=64|$shift_src"
  "requant 1 lane, 64-bit x|ivit_requant|Lanes=1|$shift_src $rtl/nonlinear/ivit_requant.sv"
  "requant 1 lane, 40-bit x|ivit_requant|Lanes=1 InW=40|$shift_src $rtl/nonlinear/ivit_requant.sv"
  "requant 4 lanes, 64-bit x|ivit_requant|Lanes=4|$shift_src $rtl/nonlinear/ivit_requant.sv"
  "add 16 lanes|ivit_add|Lanes=16|$pkg $rtl/prim/ivit_sat.sv $rtl/nonlinear/ivit_add.sv"
  "udiv 32 bits, 1 bit/cycle|ivit_udiv|Width=32 StepsPerCycle=1|$rtl/prim/ivit_udiv.sv"
  "udiv 32 bits, 4 bits/cycle|ivit_udiv|Width=32 StepsPerCycle=4|$rtl/prim/ivit_udiv.sv"
  "udiv 64 bits, 1 bit/cycle|ivit_udiv|Width=64 StepsPerCycle=1|$rtl/prim/ivit_udiv.sv"
  "shift_exp (t <= 0)|ivit_shift_exp|AllowPositive=1'b0|$rtl/nonlinear/ivit_shift_exp.sv"
  "shift_exp (with t > 0)|ivit_shift_exp|AllowPositive=1'b1|$rtl/nonlinear/ivit_shift_exp.sv"
  "shiftmax 1 lane, S=1, 256 cols|ivit_shiftmax|Lanes=1 DivStepsPerCycle=1 MaxCols=256|$nl_src $rtl/nonlinear/ivit_shiftmax.sv"
  "shiftmax 8 lanes, S=4, 1024 cols|ivit_shiftmax|Lanes=8 DivStepsPerCycle=4 MaxCols=1024|$nl_src $rtl/nonlinear/ivit_shiftmax.sv"
  "shiftmax 8 lanes, S=4, 4096 cols|ivit_shiftmax|Lanes=8 DivStepsPerCycle=4 MaxCols=4096|$nl_src $rtl/nonlinear/ivit_shiftmax.sv"
  "gelu 1 lane, S=1, 256 cols|ivit_gelu|Lanes=1 DivStepsPerCycle=1 MaxCols=256|$nl_src $rtl/nonlinear/ivit_gelu.sv"
  "gelu 8 lanes, S=4, 1024 cols|ivit_gelu|Lanes=8 DivStepsPerCycle=4 MaxCols=1024|$nl_src $rtl/nonlinear/ivit_gelu.sv"
  "gelu 8 lanes, S=4, 4096 cols|ivit_gelu|Lanes=8 DivStepsPerCycle=4 MaxCols=4096|$nl_src $rtl/nonlinear/ivit_gelu.sv"
  "layernorm 1 lane, S=1, 256 cols|ivit_layernorm|Lanes=1 DivStepsPerCycle=1 MaxCols=256|$nl_src $rtl/nonlinear/ivit_layernorm.sv"
  "layernorm 8 lanes, S=4, 1024 cols|ivit_layernorm|Lanes=8 DivStepsPerCycle=4 MaxCols=1024|$nl_src $rtl/nonlinear/ivit_layernorm.sv"
  "layernorm 8 lanes, S=4, 4096 cols|ivit_layernorm|Lanes=8 DivStepsPerCycle=4 MaxCols=4096|$nl_src $rtl/nonlinear/ivit_layernorm.sv"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "| unit | top | parameters | cells | flip-flops | CMOS transistors (est.) | memory bits |"
  echo "|---|---|---|---:|---:|---:|---:|"
} >"$tmp/table"
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name top params srcs <<<"$c"
  [[ -z $only || $name =~ $only ]] || continue
  chparam=""
  for p in $params; do chparam+=" -set ${p%%=*} ${p#*=}"; done
  script="read_verilog -sv $srcs;"
  [[ -n $chparam ]] && script+=" chparam$chparam $top;"
  if grep -q "nonlinear/ivit_$top\|nonlinear/$top" <<<"$srcs" && [[ $top != ivit_shift_exp ]]; then
    # Keep the row buffer a memory cell: synth up to memory_map, then map the logic alone.
    script+=" synth -flatten -top $top -run begin:fine; opt -full; techmap; opt -fast; abc; opt_clean;"
  else
    script+=" synth -flatten -top $top;"
  fi
  script+=" tee -o $tmp/stat.txt stat -tech cmos"
  yosys -q -p "$script" >"$tmp/log.txt" 2>&1 || { echo "yosys failed for $name"; cat "$tmp/log.txt"; exit 1; }
  cells=$(awk '/Number of cells:/ {n=$4} END {print n}' "$tmp/stat.txt")
  ffs=$(awk '/\$_.*DFF.*_/ {s+=$2} END {print s+0}' "$tmp/stat.txt")
  tr=$(awk '/Estimated number of transistors:/ {print $5}' "$tmp/stat.txt")
  membits=$(awk '/\$mem/ {m=1} END {print m+0}' "$tmp/stat.txt")
  if [[ $membits -ne 0 ]]; then
    # Lanes * element bits * ceil(MaxCols / Lanes) words (8-bit Shiftmax/GELU, 16-bit LayerNorm).
    declare -A pv=()
    for p in $params; do pv[${p%%=*}]=${p#*=}; done
    elem=8; [[ $top == ivit_layernorm ]] && elem=16
    membits=$(( (pv[MaxCols] + pv[Lanes] - 1) / pv[Lanes] * pv[Lanes] * elem ))
    cells=$(( cells - $(awk '/\$mem/ {s+=$2} END {print s+0}' "$tmp/stat.txt") ))
  else
    membits=-
  fi
  echo "| $name | $top | ${params:--} | $cells | $ffs | $tr | $membits |" | tee -a "$tmp/table"
done
cp "$tmp/table" "$out"
echo "wrote $out"
