#!/usr/bin/env bash
# docs/cli.md stays true to the binary: every subcommand `intvit --help` lists has a section
# (`## \`NAME ...\``), and every long option its --help prints is named in that section.
# usage: cli_doc_test.sh <intvit binary> <source dir>
set -euo pipefail
bin=$1
doc=$2/docs/cli.md
fail=0

# The text of the section whose heading starts with `## \`$1` (up to the next ## heading).
section() { awk -v h="## \`$1" 'index($0, h) == 1 {on = 1; print; next} /^## / {on = 0} on' "$doc"; }

subcommands=$("$bin" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[[ -n $subcommands ]] || { echo "FAIL: no subcommands in intvit --help"; exit 1; }
for sub in $subcommands; do
  helps=("$sub")
  # op has its own subcommands (check, run); their options belong to the op section.
  if [[ $sub == op ]]; then helps=("op check" "op run"); fi
  text=$(section "$sub")
  if [[ -z $text ]]; then echo "FAIL: docs/cli.md has no section for \`$sub\`"; fail=1; continue; fi
  for h in "${helps[@]}"; do
    # shellcheck disable=SC2086
    for opt in $("$bin" $h --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
      [[ $opt == --help ]] && continue
      grep -q -- "$opt" <<<"$text" || { echo "FAIL: docs/cli.md, \`$sub\`: $opt is not described"; fail=1; }
    done
  done
done
[[ $fail -eq 0 ]] && echo "cli_doc_test: every subcommand and option is documented"
exit $fail
