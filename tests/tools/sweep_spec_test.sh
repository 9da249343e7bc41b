#!/usr/bin/env bash
# cli.sweep_spec_test: `intvit sweep` refuses every bad spec and folder before anything runs
# (one `error:` line naming the key and the point, exit 2, the folder untouched), and a good
# spec gives one row per point with deterministic ids.
# Usage: bash sweep_spec_test.sh <path-to-intvit> <repo-root>
set -uo pipefail
source "$2/tests/tools/sweep_lib.sh" "$@"  # intvit, root, tmp, fail

# refuse NAME PATTERN SPEC_JSON [options]: exit 2, one error line matching PATTERN, no folder.
refuse() {
  local name=$1 pattern=$2 json=$3
  shift 3
  printf '%s' "$json" >"$tmp/$name.json"
  local err rc
  err=$("$intvit" sweep "$tmp/$name.json" -o "$tmp/out-$name" "$@" 2>&1 >/dev/null)
  rc=$?
  [[ $rc -eq 2 ]] || fail "$name: exit $rc, want 2 ($err)"
  [[ $(wc -l <<<"$err") -eq 1 && $err == error:* ]] || fail "$name: not one error line: $err"
  grep -qE -- "$pattern" <<<"$err" || fail "$name: '$err' does not match '$pattern'"
  [[ ! -e $tmp/out-$name ]] || fail "$name: wrote $tmp/out-$name"
}
m='"models": ["random:vit-tiny-test:1"]'
refuse malformed 'malformed.json' '{"models": ["random:vit-tiny-test:1"], "grid": {'
refuse not_object 'a sweep spec is a JSON object' '[1, 2]'
refuse empty_grid 'grid: the grid is empty' "{$m, \"grid\": {}}"
refuse empty_axis 'grid.array.rows: must be a non-empty list' "{$m, \"grid\": {\"array.rows\": []}}"
refuse no_points 'no points' "{$m}"
refuse empty_points 'points: must be a non-empty list' "{$m, \"points\": []}"
refuse unknown_top "unknown key 'gird'" "{$m, \"gird\": {\"array.rows\": [8]}}"
refuse unknown_axis "point 0 \\(array.rowz=4.*unknown key 'array.rowz'" \
  "{$m, \"grid\": {\"array.rowz\": [4, 8]}}"
refuse out_of_range 'point 1 \(array.rows=0, model random:vit-tiny-test:1\).*array.rows' \
  "{$m, \"grid\": {\"array.rows\": [8, 0]}}"
refuse bad_type 'points\[0\].array.rows: a value must be an integer' \
  "{$m, \"points\": [{\"array.rows\": [8]}]}"
refuse zip_arity 'grid.array.rows,array.cols\[1\]: a zipped axis of 2 keys' \
  "{$m, \"grid\": {\"array.rows,array.cols\": [[8, 8], [16]]}}"
refuse duplicate 'point 1 .*repeats an earlier point' \
  "{$m, \"points\": [{\"array.rows\": 8}, {\"array.rows\": 8}]}"
refuse no_models 'models: must be a non-empty list' '{"models": [], "grid": {"array.rows": [8]}}'
refuse bad_model 'models\[0\]' '{"models": ["random:nope:1"], "grid": {"array.rows": [8]}}'
refuse bad_arch "arch config 'nope'" "{\"arch\": \"nope\", $m, \"grid\": {\"array.rows\": [8]}}"
refuse rtl 'co-simulation' "{$m, \"grid\": {\"impl.gelu\": [\"rtl\"]}}"
refuse bad_shard 'shard 3/3' "{$m, \"grid\": {\"array.rows\": [8]}}" --shard 3/3

# A folder in the way: a file, a non-empty folder without --resume, another spec on --resume.
tiny_spec "$tmp/good.json"
touch "$tmp/file"
err=$("$intvit" sweep "$tmp/good.json" -o "$tmp/file/sub" 2>&1 >/dev/null)
[[ $? -eq 2 && $err == error:* ]] || fail "unwritable folder: $err"
mkdir -p "$tmp/full" && echo keep >"$tmp/full/mine.txt"
err=$("$intvit" sweep "$tmp/good.json" -o "$tmp/full" 2>&1 >/dev/null)
[[ $? -eq 2 && $err == *"not empty"* ]] || fail "non-empty folder: $err"
[[ $(ls "$tmp/full") == mine.txt ]] || fail "non-empty folder was changed"

# The good spec: 3 x 2 grid points, then the explicit one: 7 rows, ids p0000-... to p0006-...
"$intvit" sweep "$tmp/good.json" -o "$tmp/run" -q || fail "the good spec failed"
python3 - "$tmp/run" <<'PY' || fail "good spec rows"
import csv, json, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(f"{d}/results.jsonl")]
ids = sorted(r["id"] for r in rows)
assert [i[:5] for i in ids] == [f"p{n:04d}" for n in range(7)], ids
byid = {r["id"][:5]: r for r in rows}
# Grid order: first axis outermost; the zipped axis sets both keys.
assert byid["p0000"]["axes"] == {"array.rows": 4, "array.cols": 4, "dram.bytes_per_cycle": 4,
                                 "requant.lanes": 16}, byid["p0000"]["axes"]
assert byid["p0003"]["axes"]["array.rows"] == 8 and byid["p0003"]["axes"]["dram.bytes_per_cycle"] == 16
assert byid["p0006"]["axes"] == {"array.rows": 8, "array.cols": 16, "dram.bytes_per_cycle": 16,
                                 "requant.lanes": 4}
for r in rows:
    assert r["status"] == "ok" and r["bit_exact"] is True, r
    assert r["cycles"] > 0 and abs(r["latency_us"] - r["cycles"] / 500) < 1e-9, r
    assert 0 < r["mac_util"] <= 1 and 0 < r["busy_array"] <= 1, r
with open(f"{d}/results.csv", newline="") as f:
    head = next(csv.reader(f))
want = ["id", "array.rows", "array.cols", "dram.bytes_per_cycle", "requant.lanes", "model",
        "status", "error", "cycles", "latency_us", "throughput_ips", "mac_util"]
assert head[:len(want)] == want, head
assert head[-2:] == ["bit_exact", "dir"] and "energy_uj" in head and "area_mm2" in head, head
for r in rows:
    for f in ("stats.json", "stats.csv", "layers.csv", "effective_config.json", "summary.txt"):
        with open(f"{d}/{r['dir']}/{f}") as fh:
            assert fh.read(), f
rec = json.load(open(f"{d}/spec.json"))
assert rec["format"] == "intvit-sweep-v1" and rec["points"] == 7 and rec["shard"] is None
PY
# Deterministic ids: the same spec, reformatted, gives the same ids and hash.
python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],'w'))" \
  "$tmp/good.json" "$tmp/good2.json"
"$intvit" sweep "$tmp/good2.json" -o "$tmp/run2" -q || fail "the reformatted spec failed"
same_rows "$tmp/run" "$tmp/run2" || fail "a reformatted spec gives other rows"
# --resume of another spec: refused, nothing changed.
printf '{%s, "grid": {"array.rows": [8]}}' "$m" >"$tmp/other.json"
before=$(cat "$tmp/run/results.jsonl")
err=$("$intvit" sweep "$tmp/other.json" -o "$tmp/run" --resume 2>&1 >/dev/null)
[[ $? -eq 2 && $err == *"another spec"* ]] || fail "--resume of another spec: $err"
[[ $(cat "$tmp/run/results.jsonl") == "$before" ]] || fail "--resume of another spec changed rows"
# --resume with another shard than the folder holds: refused, nothing changed.
err=$("$intvit" sweep "$tmp/good.json" -o "$tmp/run" --resume --shard 0/2 2>&1 >/dev/null)
[[ $? -eq 2 && $err == *"holds every point of the spec, not shard 0/2"* ]] ||
  fail "--resume with another shard: $err"
[[ $(cat "$tmp/run/results.jsonl") == "$before" ]] || fail "--resume with another shard changed rows"
# --resume of a finished sweep runs nothing.
out=$("$intvit" sweep "$tmp/good.json" -o "$tmp/run" --resume 2>&1)
[[ $? -eq 0 && $out == *"7 points (0 run now, 0 failed)"* ]] || fail "resume of a done sweep: $out"

# A point the model does not fit (layernorm rows longer than its row buffer) is a failed row; the sweep goes on.
printf '{%s, "points": [{"array.rows": 8}, {"layernorm.max_cols": 32}]}' "$m" \
  >"$tmp/fails.json"
"$intvit" sweep "$tmp/fails.json" -o "$tmp/fails" -q
[[ $? -eq 0 ]] || fail "a failing point stopped the sweep"
python3 - "$tmp/fails" <<'PY' || fail "failed row"
import json, sys
rows = {r["id"][:5]: r for r in map(json.loads, open(sys.argv[1] + "/results.jsonl"))}
assert rows["p0000"]["status"] == "ok", rows["p0000"]
f = rows["p0001"]
assert f["status"] == "failed" and f["error"].startswith("compile: ") and "max_cols" in f["error"] and f["cycles"] is None, f
assert f["bit_exact"] is False
PY

[[ $failures -eq 0 ]] && echo "sweep_spec_test: all passed"
exit $((failures > 0))
