#!/usr/bin/env bash
# Generic-gate cell counts of the nonlinear units with yosys (no liberty file: ABC's internal
# gate set). The row buffer stays one memory cell ($mem_v2; its size, ceil(max_cols / lanes)
# words of lanes elements, is printed in bits), so the gate and flip-flop counts are the logic
# around it.
# Usage: testbench/nonlinear/yosys_cells.sh [unit lanes div_steps max_cols]...
# Default: every unit at (1, 1, 256) and (8, 4, 1024).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rtl=$root/rtl/nonlinear
common="$rtl/ivit_shift_exp.sv $rtl/ivit_udiv.sv $rtl/ivit_row_walk.sv"
configs=("$@")
if ((${#configs[@]} == 0)); then
  for u in shiftmax gelu layernorm; do configs+=("$u 1 1 256" "$u 8 4 1024"); done
fi
printf '%-10s %5s %5s %8s | %7s %7s %9s\n' unit lanes spc maxcols gates ffs buf_bits
for cfg in "${configs[@]}"; do
  read -r unit lanes spc maxcols <<<"$cfg"
  log=$(mktemp)
  yosys -q -l "$log" -p "
    read_verilog -sv $common $rtl/ivit_$unit.sv
    chparam -set Lanes $lanes -set DivStepsPerCycle $spc -set MaxCols $maxcols ivit_$unit
    hierarchy -top ivit_$unit
    proc; flatten; opt; wreduce; alumacc; share; opt; memory -nomap; opt -full
    techmap; opt -fast; abc; opt_clean
    stat" >/dev/null
  stats=$(sed -n '/Printing statistics/,$p' "$log")
  cells=$(awk '/Number of cells:/ {v=$4} END {print v}' <<<"$stats")
  ffs=$(awk '/\$_(S)?DFF/ {s+=$2} END {print s+0}' <<<"$stats")
  mems=$(awk '/\$mem/ {s+=$2} END {print s+0}' <<<"$stats")
  elem=8
  [[ $unit == layernorm ]] && elem=16
  bits=$(( (maxcols + lanes - 1) / lanes * lanes * elem ))
  printf '%-10s %5s %5s %8s | %7s %7s %9s\n' "$unit" "$lanes" "$spc" "$maxcols" \
    "$((cells - ffs - mems))" "$ffs" "$bits"
  rm -f "$log"
done
