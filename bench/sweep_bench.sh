#!/usr/bin/env bash
# The sweep speed figure (docs/sweep.md §Speed): configs/sweeps/deit_tiny_24.json, 24 DeiT-Tiny
# points, every one bit-checked, on --jobs processes (default 2). Prints the wall time, points
# per minute, and where the time goes: the golden run (once, in the parent) and, per point,
# compile, SystemC simulation, bit check and the rest (model copy, reports, process start).
# Usage: bash bench/sweep_bench.sh [path-to-intvit] [jobs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
intvit=${1:-$root/build/intvit}
jobs=${2:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
"$intvit" sweep "$root/configs/sweeps/deit_tiny_24.json" -o "$tmp/out" --jobs "$jobs" \
  2>/dev/null >"$tmp/summary.txt" || true
end=$(date +%s.%N)
grep '^golden' "$tmp/summary.txt" || true
python3 - "$tmp/out" "$start" "$end" "$jobs" <<'PY'
import json, sys
d, start, end, jobs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rows = [json.loads(l) for l in open(f"{d}/results.jsonl")]
wall = end - start
ok = sum(r["status"] == "ok" and r["bit_exact"] for r in rows)
print(f"sweep   {len(rows)} points ({ok} ok and bit-exact) in {wall:.1f} s wall on {jobs} jobs: "
      f"{60 * len(rows) / wall:.1f} points/min (target: 24 points <= 60 s on 2 cores)")
def mean(k):
    return sum(r.get(k) or 0 for r in rows) / len(rows)
w, c, s, k = mean("wall_s"), mean("compile_s"), mean("sim_s"), mean("check_s")
print(f"point   mean {w:.2f} s in its process: compile {c:.2f} s, simulation {s:.2f} s, "
      f"bit check {k:.2f} s, other {w - c - s - k:.2f} s")
slow = max(rows, key=lambda r: r.get("wall_s") or 0)
print(f"slowest {slow['id']} {slow['axes']}: {slow['wall_s']:.2f} s")
PY
