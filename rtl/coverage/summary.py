#!/usr/bin/env python3
"""Summarises the RTL coverage of a `./run.sh coverage` run (rtl/coverage/coverage.sh).

    summary.py --total TOTAL.dat --campaign CAMPAIGN.dat --info-dir DIR --rtl RTL_DIR --out MD

TOTAL.dat and CAMPAIGN.dat are merged verilator_coverage files (every source, and only the
vector, DeiT-Tiny and random cases). For each, the line points (pages v_line and v_branch) are
written to DIR/<name>_lines.dat, turned into lcov's format by `verilator_coverage --write-info`
(DIR/<name>.info, the input of genhtml) and counted per source file as genhtml counts them; the
named cover points (page v_user, the `cp_*` of rtl/) are counted by source file (the module)
and name, summed over instances and parameter sets. Writes the markdown summary to MD and prints it. Standard library only.
"""

import argparse
import collections
import os
import subprocess
import sys

MIN_LINE_PCT = 95.0  # the goal per unit (docs/rtl.md, "Coverage")


def read_points(path):
    """Yields (fields, count, raw line) of a verilator_coverage .dat file."""
    with open(path, encoding="latin-1") as f:
        for raw in f:
            if not raw.startswith("C '"):
                continue
            key, _, count = raw.rstrip("\n").rpartition(" ")
            fields = {}
            for item in key[3:-1].split("\x01"):
                k, _, v = item.partition("\x02")
                fields[k] = v
            yield fields, int(count), raw


def line_info(dat, name, info_dir):
    """Writes the line points of `dat` as lcov info; returns {source: (hit, found)}."""
    lines_dat = os.path.join(info_dir, name + "_lines.dat")
    with open(lines_dat, "w", encoding="latin-1") as out:
        out.write("# SystemC::Coverage-3\n")
        for fields, _, raw in read_points(dat):
            if not fields.get("page", "").startswith("v_user"):
                out.write(raw)
    info = os.path.join(info_dir, name + ".info")
    subprocess.run(["verilator_coverage", "--write-info", info, lines_dat], check=True,
                   stdout=subprocess.DEVNULL)
    per_file = {}
    source = None
    hits = {}
    with open(info, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("SF:"):
                source, hits = line[3:], {}
            elif line.startswith("DA:"):
                lno, cnt = line[3:].split(",")[:2]
                hits[lno] = max(hits.get(lno, 0), int(cnt))
            elif line == "end_of_record" and source is not None:
                old_hit, old_found = per_file.get(source, (0, 0))
                per_file[source] = (old_hit + sum(1 for c in hits.values() if c > 0),
                                    old_found + len(hits))
    return per_file


def cover_points(dat):
    """{(module, name): (count, source)} of the named cover points in `dat`."""
    points = collections.OrderedDict()
    for fields, count, _ in read_points(dat):
        page = fields.get("page", "")
        if not page.startswith("v_user/"):
            continue
        # By source file: the page names a parameterised copy (ivit_udiv__S4).
        key = (os.path.splitext(os.path.basename(fields.get("f", "?")))[0], fields.get("o", "?"))
        old, _ = points.get(key, (0, None))
        points[key] = (old + count, fields.get("f", ""))
    return points


def pct(hit, found):
    return 100.0 * hit / found if found else 100.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--total", required=True)
    ap.add_argument("--campaign", required=True)
    ap.add_argument("--info-dir", required=True)
    ap.add_argument("--rtl", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rtl = os.path.realpath(args.rtl)

    total = line_info(args.total, "total", args.info_dir)
    campaign = line_info(args.campaign, "campaign", args.info_dir)
    cov_total = cover_points(args.total)
    cov_campaign = cover_points(args.campaign)

    def rel(path):
        return os.path.relpath(os.path.realpath(path), os.path.dirname(rtl))

    units = sorted(s for s in total if os.path.realpath(s).startswith(rtl + os.sep))
    # Modules without line points: continuous assignments and instances only (Verilator
    # counts statements in always blocks and branches), or not in any unit that ran.
    seen = {os.path.realpath(s) for s in units}
    pointless = sorted(os.path.join(d, f) for d, _, fs in os.walk(rtl) for f in fs
                       if f.endswith(".sv") and not f.endswith("_pkg.sv")
                       and os.path.basename(d) != "lint"
                       and os.path.realpath(os.path.join(d, f)) not in seen)
    rows = []
    below = []
    for src in units:
        module = os.path.splitext(os.path.basename(src))[0]
        hit, found = total[src]
        chit, cfound = campaign.get(src, (0, found))
        mine = [k for k in cov_total if k[0] == module]
        phit = sum(1 for k in mine if cov_total[k][0] > 0)
        chit_p = sum(1 for k in mine if cov_campaign.get(k, (0, None))[0] > 0)
        points = f"{phit}/{len(mine)}" if mine else "-"
        cpoints = f"{chit_p}/{len(mine)}" if mine else "-"
        rows.append(f"| `{rel(src)}` | {pct(hit, found):.1f} % ({hit}/{found}) | "
                    f"{pct(chit, cfound):.1f} % | {points} | {cpoints} |")
        if pct(hit, found) < MIN_LINE_PCT:
            below.append(rel(src))
    all_hit = sum(total[s][0] for s in units)
    all_found = sum(total[s][1] for s in units)
    n_hit = sum(1 for v in cov_total.values() if v[0] > 0)
    n_camp = sum(1 for v in cov_campaign.values() if v[0] > 0)

    md = ["| unit (source) | line coverage, all runs | vectors + DeiT-Tiny + random only | "
          "cover points hit, all runs | vectors + DeiT-Tiny + random only |",
          "|---|---:|---:|---:|---:|"]
    md += rows
    md.append(f"| **all {len(units)} sources** | **{pct(all_hit, all_found):.1f} %** "
              f"({all_hit}/{all_found}) | | **{n_hit}/{len(cov_total)}** | {n_camp}/{len(cov_total)} |")
    md.append("")
    if pointless:
        md.append("Without line points (continuous assignments and instances only): " +
                  ", ".join(f"`{rel(p)}`" for p in pointless) + ".")
        md.append("")
    missed = [f"`{m}.{n}`" for (m, n), (c, _) in cov_total.items() if c == 0]
    md.append("Named cover points not hit: " + (", ".join(missed) if missed else "none") + ".")
    directed = [f"`{m}.{n}`" for (m, n), (c, _) in cov_total.items()
                if c > 0 and cov_campaign.get((m, n), (0, None))[0] == 0]
    md.append("")
    md.append("Hit only by the directed unit tests: " +
              (", ".join(directed) if directed else "none") + ".")
    md.append("")
    md.append(f"Sources below {MIN_LINE_PCT:.0f} % line coverage: " +
              (", ".join(f"`{b}`" for b in below) if below else "none") + ".")
    md.append("")
    md.append("| cover point | hits, all runs | vectors + DeiT-Tiny + random only |")
    md.append("|---|---:|---:|")
    for (m, n), (c, _) in sorted(cov_total.items()):
        md.append(f"| `{m}.{n}` | {c} | {cov_campaign.get((m, n), (0, None))[0]} |")
    text = "\n".join(md) + "\n"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
