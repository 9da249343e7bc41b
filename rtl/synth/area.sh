#!/usr/bin/env bash
# Area proxy of the intvit RTL units: yosys generic synthesis (`synth -flatten -top X`, no
# technology library) and `stat -tech cmos`, per unit at two or three sizes. Prints a Markdown
# table (cells, flip-flops, estimated CMOS transistors) and writes it to OUT (default
# rtl_area.md in the current directory). docs/rtl.md quotes the figures.
# Usage: area.sh [REPO_ROOT] [OUT]      (cmake --build build --target rtl_area runs it)
# Needs the Debian package yosys (0.23 reads this SystemVerilog subset).
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${2:-rtl_area.md}
rtl=$root/rtl
command -v yosys >/dev/null || { echo "area.sh: yosys not found (apt-get install yosys)"; exit 2; }

pkg="$rtl/pkg/ivit_pkg.sv"
array_src="$pkg $rtl/prim/ivit_delay.sv $rtl/array/ivit_mac.sv $rtl/array/ivit_pe.sv \
  $rtl/array/ivit_tile.sv $rtl/array/ivit_mesh.sv $rtl/array/ivit_array.sv"
shift_src="$pkg $rtl/prim/ivit_sat.sv $rtl/prim/ivit_round_shift.sv"

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
  "div_seq 32/32|ivit_div_seq|NW=32 DW=32|$rtl/prim/ivit_div_seq.sv"
  "div_seq 64/32|ivit_div_seq|NW=64 DW=32|$rtl/prim/ivit_div_seq.sv"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "| unit | top | parameters | cells | flip-flops | CMOS transistors (est.) |"
  echo "|---|---|---|---:|---:|---:|"
} >"$tmp/table"
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name top params srcs <<<"$c"
  chparam=""
  for p in $params; do chparam+=" -set ${p%%=*} ${p#*=}"; done
  script="read_verilog -sv $srcs;"
  [[ -n $chparam ]] && script+=" chparam$chparam $top;"
  script+=" synth -flatten -top $top; tee -o $tmp/stat.txt stat -tech cmos"
  yosys -q -p "$script" >"$tmp/log.txt" 2>&1 || { echo "yosys failed for $name"; cat "$tmp/log.txt"; exit 1; }
  cells=$(awk '/Number of cells:/ {n=$4} END {print n}' "$tmp/stat.txt")
  ffs=$(awk '/\$_.*DFF.*_/ {s+=$2} END {print s+0}' "$tmp/stat.txt")
  tr=$(awk '/Estimated number of transistors:/ {print $5}' "$tmp/stat.txt")
  echo "| $name | $top | ${params:--} | $cells | $ffs | $tr |" | tee -a "$tmp/table"
done
cp "$tmp/table" "$out"
echo "wrote $out"
