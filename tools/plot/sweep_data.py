"""A sweep's results folder (docs/plots.md): DIR/results.csv read by column name, the axis
columns (those between `id` and `model`), the Pareto fronts, and each point's folder
(DIR/points/<id>/ with layers.csv and effective_config.json)."""

import os

from plot_io import UserError, number, read_csv, read_json

REQUIRED = ("id", "model", "status", "cycles", "latency_us", "dir")


class Point:
    def __init__(self, row, axes, where):
        self.row = row
        self.id = row["id"]
        self.model = row["model"]
        self.ok = row["status"] == "ok"
        self.axes = {k: row[k] for k in axes}
        self.where = where

    def num(self, key):
        return number(self.row, key, self.where)


class Sweep:
    def __init__(self, folder):
        self.folder = folder
        if not os.path.isdir(folder):
            raise UserError(f"{folder}: not a folder (give the results folder of intvit sweep)")
        path = os.path.join(folder, "results.csv")
        if not os.path.exists(path):
            raise UserError(f"{path}: no such file ({folder} is not a results folder of "
                            "intvit sweep, or no point has finished yet)")
        header, rows = read_csv(path, "sweep results", REQUIRED)
        self.header = header
        self.axes = header[header.index("id") + 1:header.index("model")]
        self.units = [c[len("busy_"):] for c in header if c.startswith("busy_")]
        self.points = []
        seen = set()
        for n, row in enumerate(rows, start=2):
            where = f"{path}: line {n}"
            if row["status"] not in ("ok", "failed"):
                raise UserError(f"{where}: column 'status': '{row['status'][:40]}' is not ok "
                                "or failed")
            if row["id"] in seen:
                raise UserError(f"{where}: point id '{row['id']}' appears twice")
            seen.add(row["id"])
            self.points.append(Point(row, self.axes, where))
        if not self.points:
            raise UserError(f"{path}: no points yet (only a header)")
        self.models = sorted({p.model for p in self.points})
        spec = os.path.join(folder, "spec.json")
        self.spec = read_json(spec, "sweep spec") if os.path.exists(spec) else None
        self.short = short_names(self.axes)

    def ok(self):
        return [p for p in self.points if p.ok]

    def has(self, key):
        """True when every successful point has a value in column `key`."""
        ok = self.ok()
        return bool(ok) and key in self.header and all(p.num(key) is not None for p in ok)

    def label(self, p):
        """"p3 rows=8 bytes_per_cycle=16": the id and the point's axis values."""
        vals = " ".join(f"{self.short[k]}={p.axes[k]}" for k in self.axes)
        model = f" {p.model}" if len(self.models) > 1 else ""
        return f"{p.id}{model} {vals}".strip()

    def point_dir(self, p):
        """The point's folder: the `dir` column, relative to the results folder."""
        rel = p.row["dir"] or os.path.join("points", p.id)
        if os.path.isabs(rel) or ".." in rel.split(os.sep):
            raise UserError(f"{p.where}: column 'dir': '{rel[:80]}' must be a folder inside "
                            f"{self.folder}")
        return os.path.join(self.folder, rel)

    def front(self, xkey, ykey):
        """The points no other point of the same model beats on both keys (lower is better),
        sorted by x; empty when a successful point lacks either value."""
        if not (self.has(xkey) and self.has(ykey)):
            return []
        out = []
        for model in self.models:
            pts = [(p.num(xkey), p.num(ykey), p) for p in self.ok() if p.model == model]
            out += [p for x, y, p in pts
                    if not any(x2 <= x and y2 <= y and (x2 < x or y2 < y) for x2, y2, _ in pts)]
        return sorted(out, key=lambda p: (p.model, p.num(xkey), p.num(ykey)))


def short_names(keys):
    """The shortest dotted suffix of each key that no other key shares: array.rows -> rows,
    sram.act.kib and sram.wgt.kib -> act.kib and wgt.kib."""
    out = {}
    for k in keys:
        parts = k.split(".")
        for n in range(1, len(parts) + 1):
            suffix = ".".join(parts[-n:])
            if not any(o != k and (o == suffix or o.endswith("." + suffix)) for o in keys):
                break
        out[k] = suffix
    return out


def read_layers(folder, where):
    """A run's layers.csv rows and its units (the cycles_<unit> columns)."""
    path = os.path.join(folder, "layers.csv")
    header, rows = read_csv(path, f"layers of {where}", ("layer", "op", "cycles", "macs"))
    units = [c[len("cycles_"):] for c in header if c.startswith("cycles_")]
    if not units:
        raise UserError(f"{path}: no cycles_<unit> columns (written by an intvit older than "
                        "the plots; run the point again)")
    return path, rows, units


def read_machine(folder):
    """Peak MAC/cycle, DRAM bytes/cycle and clock of a run, from its effective_config.json."""
    path = os.path.join(folder, "effective_config.json")
    cfg = read_json(path, "effective config")
    try:
        arch = cfg["arch"]
        peak = int(arch["array"]["rows"]) * int(arch["array"]["cols"])
        bw = float(arch["dram"]["bytes_per_cycle"])
        mhz = float(arch["clock_mhz"])
    except (KeyError, TypeError, ValueError) as e:
        raise UserError(f"{path}: arch lacks array.rows, array.cols, dram.bytes_per_cycle or "
                        f"clock_mhz ({e})") from None
    if peak <= 0 or bw <= 0 or mhz <= 0:
        raise UserError(f"{path}: array size, DRAM bandwidth and clock must be positive")
    return {"peak": peak, "bw": bw, "mhz": mhz, "name": arch.get("name", "?")}
