#!/usr/bin/env python3
"""Measures the golden model's speed and writes the tables docs/speed.md quotes.

    python3 bench/speed_figures.py [--build build] [--repetitions 3] [--update docs/speed.md]

Runs build/bench/vit_bench (whole-image CPU time per image, per-op profile) and
build/bench/gemm_bench (GEMM throughput of one DeiT-Tiny image), then prints a Markdown block.
With --update it replaces the block between the two marker lines of docs/speed.md, so the page
quotes what this script measured and nothing else. Build the benchmarks first:
    cmake --build build -j2 --target vit_bench gemm_bench
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import subprocess
import sys
import tempfile

BEGIN = "<!-- speed_figures.py: begin (generated; edit bench/speed_figures.py, not this block) -->"
END = "<!-- speed_figures.py: end -->"


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def run_benchmark(binary, flt, reps):
    """Runs one Google Benchmark binary; returns (its JSON report, its stdout)."""
    if not os.access(binary, os.X_OK):
        fail(f"{binary}: not built (cmake --build <build> --target vit_bench gemm_bench)")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        proc = subprocess.run(
            [binary, f"--benchmark_filter={flt}", f"--benchmark_repetitions={reps}",
             "--benchmark_report_aggregates_only=true", f"--benchmark_out={out.name}",
             "--benchmark_out_format=json"],
            capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            fail(f"{binary} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
        return json.load(open(out.name, encoding="utf-8")), proc.stdout


def aggregate(report, name, stat, field):
    for b in report["benchmarks"]:
        if b.get("run_name") == name and b.get("aggregate_name") == stat:
            return b[field]
    fail(f"benchmark {name} ({stat}) missing from the report")


def profile_rows(stdout, model):
    """The per-op table vit_bench prints after its OpProfile benchmark of `model`."""
    m = re.search(rf"per-op CPU time, [^\n]*{model}[^\n]*\((\d+) images\)\n(.*?)(?:\n\n|\Z)",
                  stdout, re.S)
    if not m:
        fail(f"vit_bench printed no per-op profile for {model}")
    rows = []
    for line in m.group(2).splitlines()[1:]:
        parts = line.split()
        if parts and parts[0] != "total":
            rows.append((parts[0], parts[1], parts[2], " ".join(parts[3:])))
        elif parts:
            rows.append(("**total**", "", f"**{parts[1]}**", ""))
    return int(m.group(1)), rows


def cpu_name():
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--update", metavar="MD", help="rewrite the generated block of this page")
    a = ap.parse_args()
    bench = pathlib.Path(a.build) / "bench"
    load_before = os.getloadavg()[0]
    vit, _ = run_benchmark(str(bench / "vit_bench"),
                           "BM_RunReference/deit_(tiny|small)_(avx512vnni|avx2)/", a.repetitions)
    _, prof_out = run_benchmark(str(bench / "vit_bench"), "BM_OpProfile/deit_tiny", 1)
    gemm, _ = run_benchmark(str(bench / "gemm_bench"), "deit_tiny_image/avx512vnni", a.repetitions)
    load_after = os.getloadavg()[0]

    lines = [BEGIN, "",
             f"Measured {datetime.date.today().isoformat()} on {cpu_name()} "
             f"({os.cpu_count()} cores; load average {load_before:.1f} before, "
             f"{load_after:.1f} after) by `python3 bench/speed_figures.py --update docs/speed.md`.",
             "", "| model, kernels | CPU ms per image (mean of "
             f"{a.repetitions}) | sd |", "|---|---|---|"]
    for b in vit["benchmarks"]:
        if b.get("aggregate_name") != "mean":
            continue
        name = b["run_name"].split("/")[1]
        sd = aggregate(vit, b["run_name"], "stddev", "cpu_time")
        lines.append(f"| {name} | {b['cpu_time']:.1f} | {sd:.1f} |")
    images, rows = profile_rows(prof_out, "deit-tiny")
    lines += ["", f"Per op type, DeiT-Tiny with the AVX-512 VNNI kernels, CPU ms per image over "
              f"{images} images (`OpProfile`):", "",
              "| op | nodes/image | ms/image | share |", "|---|---|---|---|"]
    lines += [f"| {op} | {n} | {ms} | {share} |" for op, n, ms, share in rows]
    for b in gemm["benchmarks"]:
        if b.get("aggregate_name") == "median" and "GMAC/s" in b:
            lines.append("")
            lines.append(f"All GEMMs of one DeiT-Tiny image (`gemm_bench {b['run_name']}`, median "
                         f"of {a.repetitions}): {b['cpu_time']:.1f} ms of CPU, "
                         f"{b['GMAC/s']:.0f} GMAC/s.")
    lines += ["", END]
    block = "\n".join(lines)
    print(block)
    if a.update:
        page = pathlib.Path(a.update)
        text = page.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            fail(f"{page}: the generated block's marker lines are missing")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        tmp = page.with_name(f".{page.name}.tmp")
        tmp.write_text(head + block + tail, encoding="utf-8")
        tmp.replace(page)
        print(f"updated {page}", file=sys.stderr)


if __name__ == "__main__":
    main()
