#!/usr/bin/env bash
# `intvit sim`: reports, overrides, timing modes, exit codes and messages.
# usage: sim_cli_test.sh <intvit binary> <source dir>. Exits 77 (skipped) in builds without
# the SystemC model.
set -euo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! "$bin" sim --help 2>&1 | grep -q -- "--arch"; then
  # Golden-only build: `sim` must still exit 2 with a reason, never a usage error.
  set +e; out=$("$bin" sim --arch base16 2>&1); rc=$?; set -e
  [[ $rc -eq 2 ]] && grep -q "built without the SystemC model" <<<"$out" \
    || fail "golden-only sim: rc $rc, output: $out"
  echo "no SystemC model in this build: skipped"; exit 77
fi

# A bit-exact run writes every report and prints the summary.
"$bin" sim --model random:vit-tiny-test:1 --arch base16 --out "$tmp/a" --trace >"$tmp/a.txt" \
  || fail "sim failed: $(cat "$tmp/a.txt")"
for f in effective_config.json stats.json stats.csv layers.csv trace.json; do
  [[ -s "$tmp/a/$f" ]] || fail "sim did not write $f"
done
grep -q "^bit-exact     PASS" "$tmp/a.txt" || fail "no PASS line"

# Runs with other -p overrides get their own default folder, and their reports name the
# effective config: base16+<hash of the overrides>.
(cd "$tmp" && "$bin" sim --model random:vit-tiny-test:1 --arch base16 -q >p0.txt &&
  "$bin" sim --model random:vit-tiny-test:1 --arch base16 -p array.rows=8 -q >p1.txt &&
  "$bin" sim --model random:vit-tiny-test:1 --arch base16 -p array.rows=4 -q >p2.txt) ||
  fail "default-folder runs failed"
[[ $(ls "$tmp/out" | wc -l) -eq 3 ]] || fail "three configs did not get three folders: $(ls "$tmp/out")"
grep -q "^timing        detailed, base16+[0-9a-f]\{8\} (8x16 ws" "$tmp/p1.txt" ||
  fail "the summary does not name the effective config: $(grep timing "$tmp/p1.txt")"
grep -q '"array.rows=4"' "$tmp"/out/*_base16_*/effective_config.json ||
  fail "effective_config.json does not list the overrides"
grep -q "^total cycles  [1-9]" "$tmp/a.txt" || fail "no total cycles"
grep -q "^latency .* ms at 500 MHz" "$tmp/a.txt" || fail "no latency"
grep -q "images/s" "$tmp/a.txt" || fail "no throughput"
head -1 "$tmp/a/layers.csv" | grep -qx \
  "layer,op,M,N,K,cycles,start_cycle,end_cycle,macs,util_pct,dram_read_bytes,dram_write_bytes,\
cycles_load,cycles_store,cycles_array,cycles_requant,cycles_shiftmax,cycles_gelu,cycles_layernorm,\
cycles_add,energy_uj" \
  || fail "bad layers.csv header"
grep -q "^blocks.0.attn.matmul_1.h1,attn_scores,5,5,32," "$tmp/a/layers.csv" \
  || fail "no per-head attention row"
grep -q '"traceEvents"' "$tmp/a/trace.json" || fail "trace.json is not a trace"
grep -q '"description"' "$tmp/a/stats.json" || fail "stats without descriptions"
grep -q "^units.array.busy_cycles," "$tmp/a/stats.csv" || fail "stats.csv lacks array busy"

# -p overrides reach the model and the effective config; dataflow os works.
"$bin" sim -q --model random:vit-tiny-test:1 --arch base16 -p array.rows=32 \
  -p array.dataflow=os --out "$tmp/b" >"$tmp/b.txt" || fail "override run failed"
grep -q '"rows": 32' "$tmp/b/effective_config.json" || fail "rows override missing"
grep -q '"dataflow": "os"' "$tmp/b/effective_config.json" || fail "dataflow override missing"
grep -q "32x16 os" "$tmp/b.txt" || fail "summary does not show the override"

# scalesim mode accepts is.
"$bin" sim -q --model random:vit-tiny-test:1 --arch tiny4 --timing scalesim \
  -p array.dataflow=is --out "$tmp/c" >"$tmp/c.txt" || fail "scalesim run failed"
grep -q "^timing        scalesim" "$tmp/c.txt" || fail "no scalesim line"

# An injected fault fails the bit check: exit 1, first differing tensor named.
fault=$("$bin" compile --model random:vit-tiny-test:1 --arch base16 -o "$tmp/p" >/dev/null &&
        awk '$2 == "requant" { print $1; exit }' "$tmp/p/program.asm")
set +e
"$bin" sim -q --model random:vit-tiny-test:1 --arch base16 --out "$tmp/d" \
  --inject-fault "$fault" >"$tmp/d.txt"; rc0=$?
# Errors exit 2 with a message naming the problem.
"$bin" sim --model random:vit-tiny-test --arch base16 -p array.colz=3 2>"$tmp/e1.txt"; rc1=$?
"$bin" sim --model random:vit-tiny-test --arch base16 -p array.dataflow=is 2>"$tmp/e2.txt"; rc2=$?
"$bin" sim --model random:vit-tiny-test --arch base16 --timing fast 2>"$tmp/e3.txt"; rc3=$?
set -e
[[ $rc0 == 1 ]] || fail "fault: rc $rc0 $(cat "$tmp/d.txt")"
grep -q "^bit-exact     FAIL: layer patch_embed, tensor cls_concat\[1, 0\]: expected" "$tmp/d.txt" \
  || fail "fault: no FAIL line naming the tensor: $(cat "$tmp/d.txt")"
[[ $rc1 == 2 ]] && grep -q "array.colz" "$tmp/e1.txt" || fail "unknown key: rc $rc1"
[[ $rc2 == 2 ]] && grep -q "scalesim" "$tmp/e2.txt" || fail "is in detailed: rc $rc2"
[[ $rc3 != 0 ]] || fail "bad timing accepted"
echo "all sim CLI checks passed"
