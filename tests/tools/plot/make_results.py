#!/usr/bin/env python3
"""Turns real `intvit sim` runs in DIR/points/<id>/ into a results folder of the sweep's
contract (docs/plots.md): DIR/spec.json, DIR/results.csv and DIR/results.jsonl, one row per
point, with the given arch fields as axes. The figures come from the runs' own stats.json;
energy and area come from the runs' stats.json when they have them, else are left empty, or
with --fake-energy-area are made up from the array size and cycles (a stand-in, marked so in
spec.json, until the energy and area model gives real ones).

usage: make_results.py DIR AXIS... [--fake-energy-area] [--failed ID:ERROR]
(a failed point comes after the runs and has no folder)"""

import csv
import json
import os
import sys


def value(stats, dotted):
    node = stats
    for part in dotted.split("."):
        node = node[part]
    return node["value"]


def arch_value(arch, dotted):
    node = arch
    for part in dotted.split("."):
        node = node[part]
    return node


def main(argv):
    folder, rest = argv[0], argv[1:]
    fake = "--fake-energy-area" in rest
    failed = dict(a.split(":", 1) for a in rest[rest.index("--failed") + 1:][:1]) \
        if "--failed" in rest else {}
    axes = [a for a in rest if not a.startswith("--") and ":" not in a]
    ids = sorted(os.listdir(os.path.join(folder, "points"))) + list(failed)
    units = ["load", "store", "array", "requant", "shiftmax", "gelu", "layernorm", "add"]
    header = (["id"] + axes + ["model", "status", "error", "cycles", "latency_us",
                               "throughput_ips", "mac_util"] + ["busy_" + u for u in units] +
              ["dram_read_bytes", "dram_write_bytes", "energy_uj", "energy_array_uj",
               "area_mm2", "area_array_mm2", "bit_exact", "dir"])
    rows = []
    for pid in ids:
        if pid in failed:  # a point whose run failed before it wrote anything
            rows.append({"id": pid, "model": rows[0]["model"], "status": "failed",
                         "error": failed[pid], "dir": f"points/{pid}"})
            continue
        pdir = os.path.join(folder, "points", pid)
        cfg = json.load(open(os.path.join(pdir, "effective_config.json")))
        row = {"id": pid, "dir": f"points/{pid}", "model": cfg["run"]["model"]}
        row.update({a: arch_value(cfg["arch"], a) for a in axes})
        stats = json.load(open(os.path.join(pdir, "stats.json")))
        cycles = value(stats, "total_cycles")
        mhz = value(stats, "clock_mhz")
        row.update(status="ok", error="", cycles=cycles, latency_us=cycles / mhz,
                   throughput_ips=mhz * 1e6 / cycles,
                   mac_util=value(stats, "units.array.mac_utilization"),
                   dram_read_bytes=value(stats, "dram.read_bytes"),
                   dram_write_bytes=value(stats, "dram.write_bytes"), bit_exact="true")
        row.update({"busy_" + u: value(stats, f"units.{u}.utilization") for u in units})
        if fake:
            pes = cfg["arch"]["array"]["rows"] * cfg["arch"]["array"]["cols"]
            row.update(energy_array_uj=cycles * pes * 2e-6, area_array_mm2=pes * 0.004)
            row.update(energy_uj=row["energy_array_uj"] * 1.5, area_mm2=row["area_array_mm2"] + 1)
        rows.append(row)
    spec = {"arch": "from the runs", "models": sorted({r["model"] for r in rows}),
            "axes": axes, "note": "test fixture from real intvit sim runs" +
            ("; energy and area are made up" if fake else "")}
    with open(os.path.join(folder, "spec.json"), "w") as f:
        json.dump(spec, f, indent=2)
    with open(os.path.join(folder, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, header, restval="")
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(folder, "results.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(dict(r, axes={a: r.get(a, "") for a in axes})) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
