# Shared by the sweep tests (sourced, not a test itself): their setup, a tiny spec and a row
# comparer. Sourcing it with the test's arguments (<path-to-intvit> <repo-root>) sets intvit,
# root and a temporary folder tmp (removed on exit), defines fail (counts into failures), and
# exits 77 (skipped) when python3 or the sweep command is missing.
intvit=$1
root=$2
command -v python3 >/dev/null || exit 77
"$intvit" sweep --help >/dev/null 2>&1 || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# tiny_spec FILE [extra grid json]: the test ViT on base16 with small square arrays.
tiny_spec() {
  cat >"$1" <<JSON
{
  "arch": "base16",
  "models": ["random:vit-tiny-test:1"],
  "image_seed": 3,
  "grid": {
    "array.rows,array.cols": [[4, 4], [8, 8], [16, 16]],
    "dram.bytes_per_cycle": [4, 16]
  },
  "points": [{"array.rows": 8, "array.cols": 16, "requant.lanes": 4}]
}
JSON
}

# same_rows A B: the two result folders hold the same rows (order-independent; wall-time
# fields excluded), each id once, and results.csv agrees with results.jsonl line for line.
same_rows() {
  python3 - "$1" "$2" <<'PY'
import csv, json, sys
WALL = {"wall_s", "compile_s", "sim_s", "check_s"}
def load(d):
    text = open(f"{d}/results.jsonl").read()
    assert text == "" or text.endswith("\n"), f"{d}: torn results.jsonl"
    rows = [json.loads(l) for l in text.splitlines()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"{d}: duplicated ids {sorted(ids)}"
    with open(f"{d}/results.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert [t["id"] for t in table] == ids, f"{d}: results.csv ids differ from results.jsonl"
    for r in rows:
        assert (r["status"] == "ok") == r["bit_exact"], f"{d}: {r['id']} status/bit_exact"
    return {r["id"]: {k: v for k, v in r.items() if k not in WALL} for r in rows}
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print(f"row {k}: {a.get(k)} != {b.get(k)}")
            break
    print(f"{sys.argv[1]}: {len(a)} rows, {sys.argv[2]}: {len(b)} rows")
    sys.exit(1)
PY
}
