# Sourced by CLI tests that run the area model without paying for real synthesis.
#   use_stand_in_yosys DIR   write DIR/yosys, a stand-in whose -V prints a version and whose
#                            synthesis writes a stat of 100 NAND2 and 10 flip-flops for any
#                            unit, and point INTVIT_YOSYS and INTVIT_RTL_CACHE (DIR/cache) at it
# Real yosys runs in the WithYosys.* gtests (testbench/area); these tests check the plumbing.
use_stand_in_yosys() {
  mkdir -p "$1"
  cat >"$1/yosys" <<'SH'
#!/usr/bin/env bash
[[ $1 == -V ]] && { echo "Yosys 0.0 (stand-in)"; exit 0; }
script=$3
stat=${script##*tee -q -o }
stat=${stat%% stat}
printf '=== top ===\n   Number of cells:  110\n     $_NAND_   100\n     $_DFF_P_   10\n' >"$stat"
SH
  chmod +x "$1/yosys"
  export INTVIT_YOSYS="$1/yosys" INTVIT_RTL_CACHE="$1/cache"
}
