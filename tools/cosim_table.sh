#!/usr/bin/env bash
# Regenerates the TLM-vs-RTL table of docs/cosim.md: DeiT-Tiny (random weights, seed 1) with
# every unit on its RTL, on base16 and on wide8x32 (an 8 x 32 array and 16-lane row units,
# none prebuilt: the first run Verilates them into the cache).
# Usage: tools/cosim_table.sh INTVIT [ARCH...]
set -euo pipefail
intvit=$1; shift
archs=("$@")
((${#archs[@]})) || archs=(base16 wide8x32)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| arch | unit | RTL | instructions | TLM cycles | RTL cycles | RTL/TLM |"
echo "|---|---|---|---:|---:|---:|---:|"
for a in "${archs[@]}"; do
  "$intvit" cosim --model random:deit-tiny:1 --arch "$a" --out "$tmp/$a" -q >"$tmp/$a.txt" 2>&1 ||
    { cat "$tmp/$a.txt" >&2; exit 1; }
  python3 - "$a" "$tmp/$a/cosim.json" <<'PY'
import json, sys
arch, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
def n(v):
    return f"{v:,}".replace(",", " ")
for u, c in r["units"].items():
    if c["instructions"] == 0:
        continue  # add: the compiler emits none
    q = c["rtl_cycles"] / c["tlm_cycles"]
    print(f"| {arch} | {u} | {c['rtl']} | {n(c['instructions'])} | {n(c['tlm_cycles'])} | "
          f"{n(c['rtl_cycles'])} | {q:.4f} |")
t = r["total_cycles_cosim"] / r["total_cycles_tlm"]
print(f"| {arch} | **run** | bit-exact: {str(r['bit_exact']).lower()} | "
      f"{n(r['rtl_instructions'])} | {n(r['total_cycles_tlm'])} | {n(r['total_cycles_cosim'])} | "
      f"{t:.4f} |")
print(f"{arch}: wall {r['wall_seconds']:.1f} s, "
      f"{r['simulated_cycles_per_second']/1e6:.3f} M simulated cycles/s", file=sys.stderr)
PY
done
