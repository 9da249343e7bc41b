#!/usr/bin/env bash
# Gathers the seed corpus of one fuzz harness from committed files into OUT (created, emptied):
#   model_file   tests/fuzz/seeds/model_file/*      (tiny `intvit synth` models)
#   vector_case  every committed case under vectors/ of at most 12 KB, packed as the harness
#                reads it: manifest.json, then "%%file NAME" and each hex file
#   arch_config  configs/arch/*.json, and tests/fuzz/seeds/arch_config/* (configs with -p lines)
#   image_file   tests/fuzz/seeds/image_file/*      (8x8 PNG, JPEG, PPM, PGM)
#   program      tests/fuzz/seeds/program/*         (small program.bin files)
# plus, for every harness, its regression inputs tests/fuzz/regressions/<harness>/*.
# Usage: seeds.sh HARNESS SOURCE_DIR OUT
set -euo pipefail
h=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
case $h in
  vector_case)
    while IFS= read -r manifest; do
      dir=$(dirname "$manifest")
      (($(du -sb "$dir" | cut -f1) <= 12288)) || continue
      {
        cat "$manifest"
        for f in "$dir"/*.hex; do
          [[ -e $f ]] || continue
          printf '%%%%file %s\n' "$(basename "$f")"
          cat "$f"
        done
      } >"$out/$(echo "${dir#"$src"/}" | tr / _)"
    done < <(find "$src/vectors" -name manifest.json | sort)
    ;;
  arch_config)
    cp "$src"/configs/arch/*.json "$out/"
    ;;
esac
for d in "$src/tests/fuzz/seeds/$h" "$src/tests/fuzz/regressions/$h"; do
  if [[ -d $d ]] && compgen -G "$d/*" >/dev/null; then cp "$d"/* "$out/"; fi
done
n=$(find "$out" -type f | wc -l)
((n > 0)) || { echo "seeds.sh: no seeds for harness '$h'" >&2; exit 1; }
