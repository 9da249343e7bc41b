#!/usr/bin/env bash
# The figures docs/timing.md quotes are what this build gives: the DeiT-Tiny summary block on
# base16, and the total cycles with the os dataflow, on tiny4 and in scalesim mode.
# Usage: doc_figures_test.sh INTVIT REPO_ROOT
set -uo pipefail
intvit=$1
doc=$2/docs/timing.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$intvit" sim --help >/dev/null 2>&1 || { echo "skip: no SystemC model in this build"; exit 77; }
# The code block after "DeiT-Tiny on base16 (`intvit sim": the lines from "timing" to "bit-exact".
want=$(awk '/^DeiT-Tiny on base16 \(`intvit sim/{f=1} f&&/^timing /{p=1} p{print} p&&/^bit-exact/{exit}' "$doc")
got=$("$intvit" sim --model random:deit-tiny:1 --arch base16 --out "$tmp/a" -q |
      sed -n '/^timing /,/^bit-exact/p')
if [[ -z "$want" || "$want" != "$got" ]]; then
  echo "FAIL: docs/timing.md's DeiT-Tiny block differs from the build's:"
  diff <(echo "$want") <(echo "$got")
  fail=1
fi
# docs/energy.md's per-component figures of the same run: "By component: dram 3373.3 µJ (52.3 %),
# sram_acc 1599.8 (24.8 %), ..." must be the run's stats.json, to 0.1 µJ.
python3 - "$(dirname "$doc")/energy.md" "$tmp/a/stats.json" <<'PY' || fail=1
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"By component: (.*?)\. The accumulator", text, re.S)
pairs = re.findall(r"([a-z_]+)\s+([0-9]+(?:\.[0-9]+)?)", m.group(1)) if m else []
got = json.load(open(sys.argv[2]))["energy"]["by_component"]
bad = [(k, v, round(got.get(k, -1), 1)) for k, v in pairs if abs(float(v) - got.get(k, -1)) > 0.051]
if len(pairs) != len(got) or bad:
    print(f"FAIL: docs/energy.md's by-component figures: {len(pairs)} of {len(got)} quoted; "
          f"differ (doc, build): {bad}")
    sys.exit(1)
print(f"ok: docs/energy.md's {len(pairs)} energy components")
PY
spaced() { sed -E ':a;s/([0-9])([0-9]{3})($|[^0-9])/\1 \2\3/;ta' <<<"$1"; }
check() {  # what, args...
  local what=$1; shift
  local n
  n=$("$intvit" sim --model random:deit-tiny:1 --out "$tmp/b" -q "$@" | awk '/^total cycles/{print $3}')
  if ! grep -q "$what $(spaced "$n")" "$doc"; then
    echo "FAIL: docs/timing.md does not say '$what $(spaced "$n")' ($*)"; fail=1
  else
    echo "ok: $what $(spaced "$n")"
  fi
}
check "dataflow=os\` takes" --arch base16 -p array.dataflow=os
check "on tiny4 (4 x 4)" --arch tiny4
check "in scalesim mode (ws, base16)" --arch base16 --timing scalesim
exit $fail
