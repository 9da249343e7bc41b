#!/usr/bin/env bash
# The named cover points of rtl/ (`cp_*:` under `ifdef INTVIT_COVER`) and the table of them in
# docs/rtl.md ("Coverage") name the same points: every `module.cp_name` the page lists is
# declared in rtl/**/module.sv, and every declared one is listed.
# Usage: cover_points_doc_test.sh REPO_ROOT
set -euo pipefail
root=${1:?usage: cover_points_doc_test.sh REPO_ROOT}
doc=$root/docs/rtl.md
declared=$(cd "$root/rtl" &&
  for f in $(find . -name '*.sv' | sort); do
    m=$(basename "$f" .sv)
    grep -oE '^\s*cp_[a-z0-9_]+:' "$f" | tr -d ' :' | sed "s/^/$m./" || true
  done | sort -u)
# The page's list: rows of the section's cover point table whose first cell is
# "`module.cp_a`" or "`module.cp_a`, `cp_b`" (cp_b in the same module).
listed=$(sed -n '/^## Coverage/,/^## /p' "$doc" | grep -E '^\| `ivit_[a-z0-9_]+\.cp_' |
  awk -F'|' '{ n = split($2, names, ","); module = "";
               for (i = 1; i <= n; i++) {
                 name = names[i]; gsub(/[` ]/, "", name);
                 if (name ~ /\./) { module = substr(name, 1, index(name, ".") - 1); print name }
                 else print module "." name } }' | sort -u)
[[ -n $declared ]] || { echo "FAIL: no cover points found under $root/rtl"; exit 1; }
[[ -n $listed ]] || { echo "FAIL: docs/rtl.md has no cover point table in its Coverage section"; exit 1; }
fail=0
while read -r p; do
  grep -qxF "$p" <<<"$declared" || { echo "FAIL: docs/rtl.md lists $p, which rtl/ does not declare"; fail=1; }
done <<<"$listed"
while read -r p; do
  grep -qxF "$p" <<<"$listed" || { echo "FAIL: rtl/ declares $p, which docs/rtl.md does not list"; fail=1; }
done <<<"$declared"
[[ $fail -eq 0 ]] && echo "PASS: $(wc -l <<<"$declared") cover points, declared and documented alike"
exit $fail
