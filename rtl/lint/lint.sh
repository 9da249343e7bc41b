#!/usr/bin/env bash
# Lints every module under rtl/: `verilator --lint-only -Wall` with rtl/lint/intvit.vlt (the one
# configuration file; any other rtl/lint/*.vlt still waiting to be merged into it is passed
# too), each module as the top with its default parameters, plus the parameter sets listed in
# VARIANTS. One module per file, named as the file (DECLFILENAME). Packages
# (rtl/pkg/*_pkg.sv, and <build>/generated/rtl/pkg/*_pkg.sv when given) come first.
# Usage: lint.sh REPO_ROOT [GENERATED_PKG_DIR]
set -euo pipefail
root=${1:?usage: lint.sh REPO_ROOT [GENERATED_PKG_DIR]}
gen=${2:-}
rtl=$root/rtl

pkgs=()
if [[ -n $gen && -d $gen ]]; then
  while IFS= read -r f; do pkgs+=("$f"); done < <(find "$gen" -name '*_pkg.sv' | sort)
fi
while IFS= read -r f; do pkgs+=("$f"); done < <(find "$rtl/pkg" -name '*_pkg.sv' | sort)
vlts=("$rtl/lint/intvit.vlt")
while IFS= read -r f; do vlts+=("$f"); done < <(find "$rtl/lint" -name '*.vlt' ! -name intvit.vlt | sort)
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
  "ivit_div_seq -GNW=8 -GDW=4"
  "ivit_div_seq -GNW=64 -GDW=32"
  "ivit_requant -GLanes=1 -GInW=40"
)

fail=0
lint() {  # top, extra args...
  local top=$1; shift
  local out
  if ! out=$(verilator --lint-only -Wall "${vlts[@]}" "${pkgs[@]}" "${mods[@]}" \
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
echo "linted ${#mods[@]} modules and ${#VARIANTS[@]} parameter variants"
exit $fail
