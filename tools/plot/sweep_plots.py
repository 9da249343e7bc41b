"""The figures across a sweep's points: a metric against another with the Pareto front marked,
and the busy fraction of every unit at every point."""

import matplotlib.pyplot as plt

MARKERS = ["o", "s", "^", "D", "v", "P"]
MAX_LABELS = 40  # more points than this: only the front's points are labelled
MAX_ROWS = 60  # the utilization map shows at most this many points (the fastest)


def pareto_scatter(sweep, xkey, ykey, xlabel, ylabel, title):
    """Every successful point (one marker per model), its id beside it; the front (lower is
    better on both) drawn as a red staircase with its points ringed and labelled in full."""
    front = sweep.front(xkey, ykey)
    fig, ax = plt.subplots(figsize=(9, 6))
    for i, model in enumerate(sweep.models):
        pts = [p for p in sweep.ok() if p.model == model]
        ax.scatter([p.num(xkey) for p in pts], [p.num(ykey) for p in pts], s=30,
                   marker=MARKERS[i % len(MARKERS)], color="#4c78a8", alpha=0.8,
                   label=model if len(sweep.models) > 1 else "design point", zorder=2)
        for p in pts if len(sweep.ok()) <= MAX_LABELS else []:
            if p not in front:
                ax.annotate(p.id, (p.num(xkey), p.num(ykey)), xytext=(4, 3),
                            textcoords="offset points", fontsize=7, color="#555555")
        mine = [p for p in front if p.model == model]
        xs, ys = [p.num(xkey) for p in mine], [p.num(ykey) for p in mine]
        ax.step(xs, ys, where="post", color="#d62728", lw=1.5, zorder=1,
                label="Pareto front" if i == 0 else None)
        ax.scatter(xs, ys, s=110, facecolors="none", edgecolors="#d62728", lw=1.8, zorder=3)
        # Labels point away from the nearer side, so they stay inside the axes.
        allx = [p.num(xkey) for p in sweep.ok()]
        mid = (min(allx) + max(allx)) / 2
        for p in mine:
            right = p.num(xkey) > mid
            # A long front gets ids only; the page's Pareto table has the axis values.
            text = sweep.label(p) if len(front) <= 8 else p.id
            ax.annotate(text, (p.num(xkey), p.num(ykey)),
                        xytext=(-6 if right else 6, -10), ha="right" if right else "left",
                        textcoords="offset points", fontsize=8, color="#d62728",
                        fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    failed = len(sweep.points) - len(sweep.ok())
    note = f" ({failed} failed point{'s' if failed > 1 else ''} not shown)" if failed else ""
    ax.set_title(f"{title}: {len(sweep.ok())} points, {len(front)} on the front{note}",
                 fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.margins(0.12)
    fig.tight_layout()
    return fig


def utilization(sweep):
    """A heat map: one row per successful point, one column per unit's busy fraction (and the
    array's MAC utilization), the percentage written in each cell."""
    pts = sweep.ok()
    title = "Utilization per unit and point (%)"
    if len(pts) > MAX_ROWS:
        pts = sorted(pts, key=lambda p: p.num("latency_us") or float("inf"))[:MAX_ROWS]
        title += f": the {MAX_ROWS} fastest of {len(sweep.ok())} points"
    cols = [("busy_" + u, u) for u in sweep.units]
    if "mac_util" in sweep.header:
        cols.append(("mac_util", "array MACs"))
    data = [[100 * (p.num(k) or 0.0) for k, _ in cols] for p in pts]
    fig, ax = plt.subplots(figsize=(5 + 0.9 * len(cols), 1.8 + 0.32 * len(pts)))
    im = ax.imshow(data, cmap="viridis", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(cols)), [name for _, name in cols], rotation=30, ha="right")
    ax.set_yticks(range(len(pts)), [sweep.label(p) for p in pts], fontsize=8)
    for r, row in enumerate(data):
        for c, v in enumerate(row):
            ax.text(c, r, f"{v:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if v < 60 else "black")
    fig.colorbar(im, ax=ax, label="% busy (array MACs: % of peak)")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return fig
