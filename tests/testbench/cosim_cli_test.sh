#!/usr/bin/env bash
# `intvit cosim`: DeiT-Tiny on base16 with every unit on its RTL, bit-exact, every unit's TLM
# cycles within 2 % of its RTL cycles (asserted from cosim.json); an array geometry that is not
# prebuilt, Verilated on first use into a fresh cache and reused from it; a fault injected into
# one RTL result, reported with its instruction, unit, layer, node and element; bad input.
# Usage: cosim_cli_test.sh INTVIT
set -uo pipefail
intvit=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export INTVIT_RTL_CACHE=$tmp/cache
source "$(dirname "$0")/../lib/cli_expect.sh"
# cosim.json: bit-exact, no mismatch, each unit on RTL within 2 % of the TLM formula.
check_json() {  # file, units...
  python3 - "$@" <<'PY' || fail "see above"
import json, sys
path, units = sys.argv[1], sys.argv[2:]
r = json.load(open(path))
bad = []
if r["bit_exact"] is not True or r["mismatches"] != 0:
    bad.append("not bit-exact")
for u in units:
    c = r["units"].get(u)
    if c is None or c["instructions"] == 0:
        bad.append(f"{u}: no RTL instructions")
        continue
    q = c["rtl_cycles"] / c["tlm_cycles"]
    print(f"  {u}: {c['instructions']} instr, TLM {c['tlm_cycles']}, RTL {c['rtl_cycles']}, RTL/TLM {q:.4f}")
    if abs(q - 1) > 0.02:
        bad.append(f"{u}: RTL/TLM {q:.4f} outside 2 %")
t = r["total_cycles_cosim"] / r["total_cycles_tlm"]
print(f"  total: TLM {r['total_cycles_tlm']}, cosim {r['total_cycles_cosim']} ({t:.4f})")
if abs(t - 1) > 0.02:
    bad.append(f"total cycles RTL/TLM {t:.4f} outside 2 %")
if bad:
    print("FAIL: " + path + ": " + "; ".join(bad))
    sys.exit(1)
PY
}

# 1. DeiT-Tiny, base16, every unit on RTL (prebuilt units: starts at once).
expect 0 'RTL check     PASS' "$intvit" cosim --model random:deit-tiny:1 --arch base16 \
  --out "$tmp/deit" -q
check_json "$tmp/deit/cosim.json" array requant shiftmax gelu layernorm
[[ -f "$tmp/deit/cosim_layers.csv" && -f "$tmp/deit/stats.json" ]] || fail "reports"

# 2. A geometry nothing prebuilt: an 8 x 4 array, Verilated into the empty cache, then reused.
expect 0 'RTL check     PASS' "$intvit" cosim --model random:vit-tiny-test:1 --arch base16 \
  --rtl array -p array.rows=8 -p array.cols=4 --out "$tmp/g84" -q
check_json "$tmp/g84/cosim.json" array
out=$("$intvit" cosim --model random:vit-tiny-test:1 --arch base16 --rtl array \
  -p array.rows=8 -p array.cols=4 --out "$tmp/g84b" -q 2>&1)
if grep -q "verilating" <<<"$out"; then fail "the second run verilated again"; fi

# 3. A fault in one RTL result: instruction, unit, layer, node, element and both values.
"$intvit" compile --model random:vit-tiny-test:1 --arch base16 -o "$tmp/prog" >/dev/null
gemm=$(grep -m1 -oE '^ *[0-9]+ +gemm' "$tmp/prog/program.asm" | grep -oE '[0-9]+' | head -1)
expect 1 "RTL check     FAIL: 1 of [0-9]+ RTL instructions differ; first: instruction $gemm \\(array, layer [a-z_.0-9]+, node [a-z_.0-9]+\\) at cycle [0-9]+: acc\\[0x[0-9a-f]+\\.\\.\\), .*element \\[0, 0\\]: executor -?[0-9]+, RTL -?[0-9]+" \
  "$intvit" cosim --model random:vit-tiny-test:1 --arch base16 --rtl array \
  --inject-fault "$gemm" --out "$tmp/fault" -q
grep -q '"mismatches": 1' "$tmp/fault/cosim.json" || fail "cosim.json mismatches"

# 4. The same through `sim -p impl.<unit>=rtl`.
expect 0 'co-simulation: units on RTL' "$intvit" sim --model random:vit-tiny-test:1 \
  --arch base16 -p impl.gelu=rtl --out "$tmp/simrtl" -q
# Waves: a window of the gelu unit, with the instruction index.
# (vit-tiny-test's first ShiftGELU starts at cycle 24370 on base16.)
expect 0 'wave +.*gelu.vcd' "$intvit" cosim --model random:vit-tiny-test:1 --arch base16 \
  --rtl gelu --wave gelu:24000-25000 --out "$tmp/wave" -q
python3 - "$tmp/wave/gelu.vcd" <<'PY' || fail "see above"
import re, sys
text = open(sys.argv[1]).read()
times = [int(t) for t in re.findall(r"^#(\d+)$", text, re.M)]
ok = ("$var wire 32 ii instr_index" in text and re.search(r"^b[01]+ ii$", text, re.M)
      and times and min(times) >= 240000 and max(times) <= 250005)
print(f"  gelu.vcd: {len(times)} time steps, {min(times) if times else '-'}..{max(times) if times else '-'}")
if not ok:
    print("FAIL: the VCD lacks instr_index or its time steps leave the window 24000-25000")
    sys.exit(1)
PY

# 5. Bad input: one line, exit 2, nothing half-written.
expect 2 "^error: --rtl: unknown unit 'frob'" "$intvit" cosim --model random:vit-tiny-test:1 \
  --rtl frob --out "$tmp/bad1" -q
expect 2 '^error: .*array.dataflow = ws' "$intvit" cosim --model random:vit-tiny-test:1 \
  -p array.dataflow=os --rtl array --out "$tmp/bad2" -q
expect 2 '^error: --wave gelu:5-1: FROM must not be after TO' "$intvit" cosim \
  --model random:vit-tiny-test:1 --rtl gelu --wave gelu:5-1 --out "$tmp/bad3" -q
expect 2 '^error: --wave shiftmax.*does not run on its RTL' "$intvit" cosim \
  --model random:vit-tiny-test:1 --rtl gelu --wave shiftmax --out "$tmp/bad4" -q
expect 2 '^error: --wave gelu:900000000-900000001: the window starts after the run' "$intvit" \
  cosim --model random:vit-tiny-test:1 --rtl gelu --wave gelu:900000000-900000001 \
  --out "$tmp/bad5" -q
[[ ! -e "$tmp/bad5/gelu.vcd" ]] || fail "a wave outside the run was left behind"
expect 2 '^error: co-simulation .* not --timing scalesim' "$intvit" sim \
  --model random:vit-tiny-test:1 -p impl.array=rtl --timing scalesim --out "$tmp/bad6" -q

# A unit that must be Verilated, with an unwritable cache or without Verilator; an unwritable --out.
expect 2 '^error: the RTL cache folder /proc/intvit-cache cannot be written' \
  env INTVIT_RTL_CACHE=/proc/intvit-cache "$intvit" cosim --model random:vit-tiny-test:1 \
  --rtl array -p array.rows=8 -p array.cols=8 --out "$tmp/bad7" -q
expect 2 '^error: Verilator is not installed' env INTVIT_VERILATOR=/nonexistent "$intvit" cosim \
  --model random:vit-tiny-test:1 --rtl array -p array.rows=8 -p array.cols=8 --out "$tmp/bad8" -q
expect 2 '^error: --out /proc/intvit-out: cannot create' "$intvit" cosim \
  --model random:vit-tiny-test:1 --rtl gelu --out /proc/intvit-out -q

finish
