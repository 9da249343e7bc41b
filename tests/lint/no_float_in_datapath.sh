#!/usr/bin/env bash
# Fails when a file that computes data bits mentions float or double. Float is allowed only at
# model preparation (model/quant/) and in reports.
set -euo pipefail
root=${1:-.}
dirs=()
for d in model/arith model/ops model/exec; do
  [[ -d "$root/$d" ]] && dirs+=("$root/$d")
done
hits=$(grep -rnwE 'float|double|long double|std::sqrt|std::exp|std::round' "${dirs[@]}" \
         --include='*.h' --include='*.cc' | grep -v 'float-free' || true)
if [[ -n "$hits" ]]; then
  echo "float found in a data-path file (move it to model/quant/ or a report):"
  echo "$hits"
  exit 1
fi
echo "no float in: ${dirs[*]}"
