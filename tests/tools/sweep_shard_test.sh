#!/usr/bin/env bash
# cli.sweep_shard_test: the Slurm job array of `intvit sweep --emit-slurm`, every task run here
# with SLURM_ARRAY_TASK_ID set, then `sweep merge`, gives the rows of a single-machine run.
# Merge refuses a folder of another spec and reports duplicate and missing points. And a
# monotonic sanity check: on the same machine otherwise, a bigger array never takes more
# array (GEMM) cycles.
# Usage: bash sweep_shard_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
source "$2/tests/tools/sweep_lib.sh" "$@"  # intvit, root, tmp, fail
tiny_spec "$tmp/spec.json"
"$intvit" sweep "$tmp/spec.json" -o "$tmp/single" -q || fail "the single run failed"

"$intvit" sweep "$tmp/spec.json" --emit-slurm "$tmp/slurm" --shards 3 >/dev/null ||
  fail "--emit-slurm failed"
grep -q '^#SBATCH --array=0-2$' "$tmp/slurm/sweep.sbatch" || fail "not a 3-task array"
for i in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$i bash "$tmp/slurm/sweep.sbatch" || fail "array task $i failed"
done
# Shard I holds the points whose index is I mod 3: 3, 2 and 2 of the 7.
for i in 0 1 2; do
  want=$(((7 - i + 2) / 3))
  [[ $(grep -c '' "$tmp/slurm/shard-$i/results.jsonl") -eq $want ]] || fail "shard $i: not $want rows"
done
bash "$tmp/slurm/merge.sh" >/dev/null || fail "merge.sh failed"
same_rows "$tmp/single" "$tmp/slurm/merged" || fail "merged shards differ from the single run"
for r in $(python3 -c "import json,sys; [print(json.loads(l)['dir']) for l in open(sys.argv[1])]" \
  "$tmp/slurm/merged/results.jsonl"); do
  [[ -s $tmp/slurm/merged/$r/stats.json ]] || fail "merged $r has no stats.json"
done

# Duplicates and missing points are reported; the merged set has each point once.
err=$("$intvit" sweep merge "$tmp/slurm/shard-0" "$tmp/slurm/shard-0" "$tmp/slurm/shard-1" \
  -o "$tmp/partial" 2>&1 >/dev/null)
[[ $? -eq 0 ]] || fail "merge of a partial set failed: $err"
[[ $err == *"is in"* && $err == *"2 points missing"* ]] || fail "dup/missing not reported: $err"
[[ $(grep -c '' "$tmp/partial/results.jsonl") -eq 5 ]] || fail "partial merge: not 5 rows"
# ... and a resume of the merged folder runs just the missing ones.
"$intvit" sweep "$tmp/spec.json" -o "$tmp/partial" --resume -q || fail "resume of a merge failed"
same_rows "$tmp/single" "$tmp/partial" || fail "merge + resume differs from the single run"

# Another spec's folder: refused, nothing written.
printf '{"models": ["random:vit-tiny-test:1"], "grid": {"array.rows": [8]}}' >"$tmp/other.json"
"$intvit" sweep "$tmp/other.json" -o "$tmp/other" -q || fail "other spec run failed"
err=$("$intvit" sweep merge "$tmp/slurm/shard-0" "$tmp/other" -o "$tmp/mixed" 2>&1 >/dev/null)
[[ $? -eq 2 && $err == error:*"another spec"* ]] || fail "mixed specs: $err"
[[ ! -e $tmp/mixed ]] || fail "mixed specs: wrote $tmp/mixed"
err=$("$intvit" sweep merge "$tmp/slurm/shard-0" -o "$tmp/single" 2>&1 >/dev/null)
[[ $? -eq 2 && $err == *"not empty"* ]] || fail "merge into a non-empty folder: $err"

# Monotonic: for each DRAM bandwidth, array busy cycles do not grow with the array (4, 8, 16).
python3 - "$tmp/single" <<'PY' || fail "monotonic array cycles"
import json, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(f"{d}/results.jsonl")]
def gemm_cycles(r):
    return json.load(open(f"{d}/{r['dir']}/stats.json"))["units"]["array"]["busy_cycles"]["value"]
for bw in (4, 16):
    sq = sorted((r["axes"]["array.rows"], gemm_cycles(r)) for r in rows
                if r["axes"]["dram.bytes_per_cycle"] == bw and r["axes"]["array.rows"] == r["axes"]["array.cols"]
                and r["axes"]["requant.lanes"] == 16)
    assert [s for s, _ in sq] == [4, 8, 16], sq
    cycles = [c for _, c in sq]
    assert cycles[0] > cycles[1] > cycles[2], (bw, sq)
PY

[[ $failures -eq 0 ]] && echo "sweep_shard_test: all passed"
exit $((failures > 0))
