#!/usr/bin/env bash
# The sweep speed figure (docs/sweep.md §Speed): configs/sweeps/deit_tiny_24.json, 24 DeiT-Tiny
# points, every one bit-checked, on --jobs processes (default 2). Prints the wall time, points
# per minute, and where the time goes: the golden run (once, in the parent) and, per point,
# compile, SystemC simulation, bit check and the rest (model copy, reports, process start);
# the CPU time of all processes, which shows what a quiet machine would take when it is not.
# Usage: bash bench/sweep_bench.sh [path-to-intvit] [jobs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
intvit=${1:-$root/build/intvit}
jobs=${2:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT='%R %U %S'
{ time "$intvit" sweep "$root/configs/sweeps/deit_tiny_24.json" -o "$tmp/out" --jobs "$jobs" \
  2>/dev/null >"$tmp/summary.txt"; } 2>"$tmp/time.txt" || true
grep '^golden' "$tmp/summary.txt" || true
python3 - "$tmp/out" "$(cat "$tmp/time.txt")" "$jobs" "$(uptime)" <<'PY'
import json, sys
d, (wall, user, sys_s), jobs = sys.argv[1], map(float, sys.argv[2].split()), int(sys.argv[3])
rows = [json.loads(l) for l in open(f"{d}/results.jsonl")]
ok = sum(r["status"] == "ok" and r["bit_exact"] for r in rows)
print(f"sweep   {len(rows)} points ({ok} ok and bit-exact) in {wall:.1f} s wall on {jobs} jobs: "
      f"{60 * len(rows) / wall:.1f} points/min (target: 24 points <= 60 s on 2 cores)")
def mean(k):
    return sum(r.get(k) or 0 for r in rows) / len(rows)
w, c, s, k = mean("wall_s"), mean("compile_s"), mean("sim_s"), mean("check_s")
print(f"point   mean {w:.2f} s in its process: compile {c:.2f} s, simulation {s:.2f} s, "
      f"bit check {k:.2f} s, other {w - c - s - k:.2f} s")
cpu = user + sys_s
print(f"cpu     {cpu:.1f} s user+sys over all processes ({cpu / len(rows):.2f} s per point): "
      f"on {jobs} idle cores at least {cpu / jobs:.1f} s wall")
print(f"load    {sys.argv[4].strip()}")
slow = max(rows, key=lambda r: r.get("wall_s") or 0)
print(f"slowest {slow['id']} {slow['axes']}: {slow['wall_s']:.2f} s")
PY
