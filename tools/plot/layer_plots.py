"""Per-layer figures of one run, from its layers.csv: busy cycles stacked by unit (by
transformer block and by op kind), and the roofline of its GEMM layers."""

import matplotlib.pyplot as plt
from matplotlib.ticker import EngFormatter

from plot_io import number

# One colour per ISA unit, the same in every figure.
UNIT_COLORS = {
    "load": "#4c78a8", "store": "#9ecae9", "array": "#e45756", "requant": "#f58518",
    "shiftmax": "#54a24b", "gelu": "#b279a2", "layernorm": "#eeca3b", "add": "#72b7b2",
}
FALLBACK = ["#ff9da6", "#9d755d", "#bab0ac", "#88d27a"]


def unit_color(unit, n=0):
    return UNIT_COLORS.get(unit, FALLBACK[n % len(FALLBACK)])


def block_of(layer):
    """The transformer block a node belongs to: blocks.3.attn.qkv -> blocks.3,
    patch_embed.proj -> patch_embed."""
    parts = layer.split(".")
    return ".".join(parts[:2]) if parts[0] == "blocks" and len(parts) > 1 else parts[0]


def _sum_by(rows, units, key, where):
    groups = {}
    for r in rows:
        g = groups.setdefault(key(r), [0.0] * len(units))
        for i, u in enumerate(units):
            g[i] += number(r, "cycles_" + u, where) or 0.0
    return groups


def _stacked(ax, groups, units, title):
    names = list(groups)
    left = [0.0] * len(names)
    for i, u in enumerate(units):
        vals = [groups[n][i] for n in names]
        if not any(vals):
            continue
        ax.barh(names, vals, left=left, color=unit_color(u, i), label=u, height=0.75)
        left = [a + b for a, b in zip(left, vals)]
    ax.invert_yaxis()
    ax.set_xlim(0, max(left + [1.0]) * 1.03)
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("busy cycles (summed over units; units overlap in time)")
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="x", alpha=0.3)


def layer_breakdown(rows, units, title, where):
    """Two panels: busy cycles per transformer block and per op kind, stacked by unit."""
    by_block = _sum_by(rows, units, lambda r: block_of(r["layer"]), where)
    by_op = _sum_by(rows, units, lambda r: r["op"], where)
    by_op = dict(sorted(by_op.items(), key=lambda kv: -sum(kv[1])))
    height = max(4.0, 0.28 * max(len(by_block), len(by_op)) + 1.6)
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, height))
    _stacked(a, by_block, units, "by block")
    _stacked(b, by_op, units, "by op kind")
    handles, labels = a.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False,
               title="unit")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def roofline_points(rows, where):
    """(MAC per DRAM byte, MAC per cycle, layer) of the GEMM nodes that moved DRAM bytes, and
    the count of GEMM nodes left out because all their operands stayed on chip."""
    pts, on_chip = [], 0
    for r in rows:
        macs = number(r, "macs", where) or 0
        cycles = number(r, "cycles", where) or 0
        if macs <= 0 or cycles <= 0:
            continue
        traffic = (number(r, "dram_read_bytes", where) or 0) + \
            (number(r, "dram_write_bytes", where) or 0)
        if traffic <= 0:
            on_chip += 1
            continue
        pts.append((macs / traffic, macs / cycles, r["layer"]))
    return pts, on_chip


def roofline(series, title):
    """series: (label, machine from read_machine, points from roofline_points, on_chip count)
    per run. Log-log; each run's roof min(peak, bandwidth * intensity) in its colour."""
    fig, ax = plt.subplots(figsize=(9, 6))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    # The x range covers the layers and every ridge point (where the two ceilings meet).
    xs = [x for _, _, pts, _ in series for x, _, _ in pts]
    xs += [m["peak"] / m["bw"] for _, m, _, _ in series]
    lo, hi = min(xs) / 4, max(xs) * 4
    skipped = 0
    for i, (label, m, pts, on_chip) in enumerate(series):
        c = colors[i % len(colors)]
        skipped += on_chip
        grid = [lo, m["peak"] / m["bw"], hi]
        ax.plot(grid, [min(m["peak"], m["bw"] * x) for x in grid], color=c, lw=1.5, ls="--",
                label=f"{label}: peak {m['peak']} MAC/cycle, DRAM {m['bw']:g} B/cycle")
        if pts:
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=c, s=18, alpha=0.75)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("operational intensity (MAC per byte of DRAM traffic)")
    ax.set_ylabel("achieved MAC per cycle (layer MACs / layer cycles)")
    note = f"; {skipped} GEMM layers without DRAM traffic left out" if skipped else ""
    ax.set_title(f"{title}{note}", fontsize=11)
    ax.grid(which="both", alpha=0.25)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
