#!/usr/bin/env python3
"""The figures and the report page of intvit (docs/plots.md). intvit runs this script; a user
runs `intvit plot DIR` or `intvit sim --plots`, not this file.

  intvit_plot.py check              exit 0 when matplotlib imports (4 when it does not)
  intvit_plot.py sweep DIR [--points ID,...]
                                    DIR/plots/*.png and *.svg and DIR/index.html of a results
                                    folder of `intvit sweep`
  intvit_plot.py run DIR            DIR/plots/layers.* and timeline.* of an `intvit sim` folder

Exit codes: 0 done; 2 a bad folder or file (one line `error: ...` on stderr); 3 a bug here;
4 matplotlib is missing (intvit then tries another python3)."""

import os
import sys
import tempfile

NO_MATPLOTLIB = 4


def progress(msg):
    print(f"plot: {msg}", flush=True)


def plot_sweep(folder, points_arg):
    from plot_io import UserError, make_folder, save_figure
    from sweep_data import Sweep, read_layers, read_machine

    # The folder and the chosen points are checked before pyplot loads (a second or so).
    sweep = Sweep(folder)
    notes = []
    chosen = chosen_points(sweep, points_arg, notes)
    out = os.path.join(folder, "plots")
    make_folder(out)
    from layer_plots import layer_breakdown, roofline, roofline_points
    from report_page import write_page
    from sweep_plots import pareto_scatter, utilization
    import matplotlib.pyplot as plt
    figs = []

    def emit(stem, title, make):
        progress(f"{title} -> {os.path.join(out, stem)}.png, .svg")
        fig = make()
        figs.append({"png": save_figure(fig, out, stem), "title": title})
        plt.close(fig)

    if not sweep.ok():
        notes.append("No point succeeded: only the results table is shown.")
    elif sweep.has("area_mm2"):
        emit("latency_area", "Latency vs area (Pareto front in red)",
             lambda: pareto_scatter(sweep, "area_mm2", "latency_us", "area (mm²)",
                                    "latency per inference (µs)", "Latency vs area"))
    else:
        notes.append("Latency vs area not drawn: results.csv has no area_mm2 for every "
                     "successful point.")
    if sweep.ok() and sweep.has("energy_uj"):
        emit("energy_latency", "Energy vs latency (Pareto front in red)",
             lambda: pareto_scatter(sweep, "latency_us", "energy_uj",
                                    "latency per inference (µs)", "energy per inference (µJ)",
                                    "Energy vs latency"))
    elif sweep.ok():
        notes.append("Energy vs latency not drawn: results.csv has no energy_uj for every "
                     "successful point.")
    if sweep.ok() and sweep.units:
        emit("utilization", "Utilization per unit and point", lambda: utilization(sweep))

    series = []
    for p in chosen:
        pdir = sweep.point_dir(p)
        try:
            path, rows, units = read_layers(pdir, f"point {p.id}")
            machine = read_machine(pdir)
        except UserError as e:
            if points_arg:
                raise
            notes.append(f"Point {p.id}: no layer plots ({e}).")
            continue
        stem = "layers_" + "".join(c if c.isalnum() or c in "-_." else "_" for c in p.id)
        emit(stem, f"Per-layer busy cycles by unit: {sweep.label(p)}",
             lambda: layer_breakdown(rows, units, f"Busy cycles by unit: {sweep.label(p)}",
                                     path))
        pts, on_chip = roofline_points(rows, path)
        series.append((p.id, machine, pts, on_chip))
    if series:
        emit("roofline", "Roofline of the GEMM layers of " + ", ".join(s[0] for s in series),
             lambda: roofline(series, "Roofline of the GEMM layers"))
    write_page(sweep, figs, notes)
    progress(f"{len(figs)} figures in {out}; page {os.path.join(folder, 'index.html')}")
    for n in notes:
        progress("note: " + n)


def chosen_points(sweep, points_arg, notes):
    """The points that get per-layer figures: --points, else the points on either Pareto
    front, else the fastest successful point of each model."""
    from plot_io import UserError
    if points_arg:
        by_id = {p.id: p for p in sweep.points}
        out = []
        for pid in points_arg.split(","):
            if pid not in by_id:
                raise UserError(f"--points: no point '{pid}' in {sweep.folder}/results.csv")
            if not by_id[pid].ok:
                raise UserError(f"--points: point '{pid}' failed; it has no layers to plot")
            out.append(by_id[pid])
        return out
    front = sweep.front("area_mm2", "latency_us") + sweep.front("latency_us", "energy_uj")
    out = list(dict.fromkeys(front))
    if not out:
        for model in sweep.models:
            pts = [p for p in sweep.ok() if p.model == model]
            if pts:
                out.append(min(pts, key=lambda p: p.num("latency_us") or float("inf")))
    if len(out) > 8:
        notes.append(f"{len(out)} Pareto points: per-layer figures for the first 8 "
                     "(choose others with --points).")
        out = out[:8]
    return out


def plot_run(folder):
    from plot_io import UserError, make_folder, save_figure
    from sweep_data import read_layers, read_machine

    if not os.path.isdir(folder):
        raise UserError(f"{folder}: not a folder (give the output folder of intvit sim)")
    path, rows, units = read_layers(folder, "the run")
    machine = read_machine(folder)
    out = os.path.join(folder, "plots")
    make_folder(out)
    from layer_plots import layer_breakdown
    from timeline_plot import timeline
    import matplotlib.pyplot as plt
    name = f"{os.path.basename(os.path.abspath(folder))} ({machine['name']})"
    progress(f"per-layer breakdown -> {out}/layers.png, .svg")
    fig = layer_breakdown(rows, units, f"Busy cycles by unit: {name}", path)
    save_figure(fig, out, "layers")
    plt.close(fig)
    progress(f"unit timeline -> {out}/timeline.png, .svg")
    fig = timeline(os.path.join(folder, "trace.json"), f"Unit timeline: {name}", machine["mhz"])
    save_figure(fig, out, "timeline")
    plt.close(fig)


def main(argv):
    try:
        import matplotlib
    except ImportError:
        print("error: matplotlib is not installed for this python3", file=sys.stderr)
        return NO_MATPLOTLIB
    # Headless, and a private cache folder when the home folder is not writable.
    matplotlib.use("Agg")
    if not os.access(os.path.expanduser("~"), os.W_OK) and "MPLCONFIGDIR" not in os.environ:
        os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="intvit-mpl-")
    matplotlib.rcParams["svg.hashsalt"] = "intvit"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from plot_io import UserError

    try:
        if argv[:1] == ["check"] and len(argv) == 1:
            return 0
        if len(argv) == 2 and argv[0] == "run":
            plot_run(argv[1])
            return 0
        if argv[:1] == ["sweep"] and len(argv) in (2, 4) and (len(argv) == 2 or
                                                               argv[2] == "--points"):
            plot_sweep(argv[1], argv[3] if len(argv) == 4 else "")
            return 0
        print("error: usage: intvit_plot.py check | run DIR | sweep DIR [--points ID,...]",
              file=sys.stderr)
        return 2
    except UserError as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else 'bad input'}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory (a results folder too large for this machine?)",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as e:  # a bug here, never the user's input
        import traceback
        traceback.print_exc()
        print(f"internal error (a bug in intvit's plots; please report it): {e!r}",
              file=sys.stderr)
        sys.exit(3)
