"""The unit timeline of one run: a Gantt chart of every unit's busy intervals, read from the
run's trace.json (sim/common/trace.h: one track per unit, one complete event per instruction
with its start_cycle and cycles)."""

import matplotlib.pyplot as plt
from matplotlib.ticker import EngFormatter

from layer_plots import unit_color
from plot_io import TRACE_CAP, UserError, read_json

# Intervals closer than total/RESOLUTION merge into one bar: a figure is ~1000 pixels wide, so
# the picture is the same, and the SVG stays small for runs of 100k instructions.
RESOLUTION = 4000


def read_tracks(path):
    """{track name: [(start, end), ...]} in track order, and the last end cycle."""
    doc = read_json(path, "trace", TRACE_CAP)
    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        raise UserError(f"{path}: no traceEvents list (not a trace.json of intvit sim)")
    names, spans = {}, {}
    for e in events:
        if not isinstance(e, dict):
            continue
        args = e.get("args") if isinstance(e.get("args"), dict) else {}
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            names[e.get("tid")] = str(args.get("name", e.get("tid")))
        elif e.get("ph") == "X":
            start, cycles = args.get("start_cycle"), args.get("cycles")
            if not isinstance(start, int) or not isinstance(cycles, int) or cycles < 0:
                raise UserError(f"{path}: an event lacks integer start_cycle and cycles")
            spans.setdefault(e.get("tid"), []).append((start, start + cycles))
    end = max((b for s in spans.values() for _, b in s), default=0)
    order = sorted(names, key=lambda t: t if isinstance(t, int) else 0)
    tracks = {names[t]: spans.get(t, []) for t in order}
    for t in spans:
        tracks.setdefault(names.get(t, f"track {t}"), spans[t])
    return tracks, end


def merge(spans, gap):
    out = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def timeline(path, title, mhz):
    tracks, end = read_tracks(path)
    if end <= 0:
        raise UserError(f"{path}: no instruction events to draw")
    gap = end / RESOLUTION
    fig, ax = plt.subplots(figsize=(13, 0.5 * len(tracks) + 1.8))
    labels = []
    for i, (name, spans) in enumerate(tracks.items()):
        unit = name.split(" ")[0]
        busy = sum(b - a for a, b in spans)
        bars = [(a, b - a) for a, b in merge(spans, gap)]
        ax.broken_barh(bars, (i - 0.4, 0.8), facecolors=unit_color(unit, i), linewidth=0)
        labels.append(f"{name}\n{100 * busy / end:.0f}% busy")
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, end)
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.set_xlabel(f"cycle (the run ends at {end} cycles = {end / mhz:.1f} us at {mhz:g} MHz)")
    ax.set_title(title, fontsize=12)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
