#!/usr/bin/env bash
# Lints every module under rtl/: `verilator --lint-only -Wall --assert` with rtl/lint/intvit.vlt
# (the one configuration file, where every waiver gives its reason), each module as the top with
# its default parameters, plus the parameter sets listed in VARIANTS. One module per file, named
# as the file (DECLFILENAME). The packages come first: the generated ones
# (<build>/generated/rtl/pkg/*_pkg.sv: ivit_isa_pkg, made from compiler/isa/isa.json when CMake
# configures) and any under rtl/pkg/. The modules with named cover points are linted once more
# with them (+define+INTVIT_COVER).
# Usage: lint.sh REPO_ROOT [GENERATED_PKG_DIR]   (default REPO_ROOT/build/generated/rtl/pkg)
set -euo pipefail
root=${1:?usage: lint.sh REPO_ROOT [GENERATED_PKG_DIR]}
gen=${2:-$root/build/generated/rtl/pkg}
rtl=$root/rtl

if [[ ! -f $gen/ivit_isa_pkg.sv ]]; then
  echo "lint.sh: $gen/ivit_isa_pkg.sv not found; configure first (cmake -S . -B build)"
  exit 2
fi
pkgs=()
while IFS= read -r f; do pkgs+=("$f"); done < <(find "$gen" -name '*_pkg.sv' | sort)
if [[ -d $rtl/pkg ]]; then
  while IFS= read -r f; do pkgs+=("$f"); done < <(find "$rtl/pkg" -name '*_pkg.sv' | sort)
fi
vlt=$rtl/lint/intvit.vlt
others=$(find "$rtl" -name '*.vlt' ! -path "$vlt")
if [[ -n $others ]]; then
  echo "FAIL: waivers belong in $vlt only; found: $others"
  exit 1
fi
mods=()
while IFS= read -r f; do mods+=("$f"); done < <(find "$rtl" -name '*.sv' ! -name '*_pkg.sv' | sort)

# Non-default parameter sets worth linting on their own: "module -GName=Value ...".
VARIANTS=(
  "ivit_array -GR=8 -GC=4 -GTR=2 -GTC=2"
  "ivit_array -GR=4 -GC=4"
  "ivit_mesh -GR=4 -GC=6 -GTR=2 -GTC=3"
  "ivit_tile -GTR=2 -GTC=3"
  "ivit_round_shift -GInW=96 -GOutW=64"
  "ivit_round_shift -GInW=10 -GOutW=8 -GEW=6"
  "ivit_udiv -GWidth=64 -GStepsPerCycle=1"
  "ivit_udiv -GWidth=42 -GStepsPerCycle=3"
  "ivit_shiftmax -GLanes=8 -GDivStepsPerCycle=4 -GMaxCols=4096"
  "ivit_gelu -GLanes=8 -GDivStepsPerCycle=4 -GMaxCols=4096"
  "ivit_layernorm -GLanes=8 -GDivStepsPerCycle=4 -GMaxCols=4096"
  "ivit_shiftmax -GLanes=3 -GDivStepsPerCycle=3 -GMaxCols=800"
  "ivit_gelu -GLanes=3 -GDivStepsPerCycle=3 -GMaxCols=800"
  "ivit_layernorm -GLanes=3 -GDivStepsPerCycle=3 -GMaxCols=800"
  "ivit_requant -GLanes=1 -GInW=40"
)

fail=0
lint() {  # top, extra args...
  local top=$1; shift
  local out
  if ! out=$(verilator --lint-only -Wall --assert "$vlt" "${pkgs[@]}" "${mods[@]}" \
                       --top-module "$top" "$@" 2>&1); then
    echo "FAIL $top $*"
    echo "$out"
    fail=1
  else
    echo "ok   $top $*"
  fi
}

for f in "${mods[@]}"; do
  lint "$(basename "$f" .sv)"
done
for v in "${VARIANTS[@]}"; do
  # shellcheck disable=SC2086
  lint $v
done
# The named cover points of the coverage build (`ifdef INTVIT_COVER`, docs/rtl.md "Coverage"):
# every module that has them, once more with them.
covered=0
for f in "${mods[@]}"; do
  if grep -q '^`ifdef INTVIT_COVER' "$f"; then
    lint "$(basename "$f" .sv)" +define+INTVIT_COVER
    covered=$((covered + 1))
  fi
done
echo "linted ${#mods[@]} modules, ${#VARIANTS[@]} parameter variants and $covered modules with cover points"
exit $fail
