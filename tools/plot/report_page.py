"""DIR/index.html: one self-contained page (inline style, no network) with the sweep's summary,
the Pareto tables, every figure (PNG, linked to its SVG), the spec, and the full results table
with links to each point's folder and reports. Everything from the results folder is escaped."""

import html
import json
import os

from plot_io import write_atomically

STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.82em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; white-space: nowrap; }
th { background: #f0f0f0; position: sticky; top: 0; }
td.text { text-align: left; }
tr.failed td { color: #b00; }
.plots { display: flex; flex-wrap: wrap; gap: 1.2em; }
figure { margin: 0; border: 1px solid #ddd; padding: 0.5em; max-width: 100%; }
figure img { max-width: 100%; height: auto; display: block; }
figure.broken::after { content: "this figure did not load"; color: #b00; }
figcaption { font-size: 0.85em; color: #444; margin-top: 0.3em; }
.note { color: #8a5a00; }
pre { background: #f7f7f7; padding: 0.6em; font-size: 0.8em; overflow-x: auto; }
.scroll { overflow-x: auto; max-height: 40em; }
"""

# Marks every <img> that decoded (naturalWidth > 0): data-rendered="yes" and its position on
# the page, so a test can check the page from the DOM and crop each figure from a screenshot.
SCRIPT = """
window.addEventListener('load', function () {
  document.querySelectorAll('img').forEach(function (img) {
    var ok = img.complete && img.naturalWidth > 0;
    var r = img.getBoundingClientRect();
    img.dataset.rendered = ok ? 'yes' : 'no';
    img.dataset.box = [r.left + scrollX, r.top + scrollY, r.width, r.height].map(Math.round).join(',');
    if (!ok) img.parentNode.parentNode.classList.add('broken');
  });
  document.body.dataset.height = document.documentElement.scrollHeight;
  document.body.dataset.checked = 'yes';
});
"""

FIGURES = ["cycles", "latency_us", "area_mm2", "energy_uj", "throughput_ips", "mac_util"]


def esc(v):
    return html.escape(str(v), quote=True)


def _cell(v, cls=""):
    return f'<td class="{cls}">{v}</td>' if cls else f"<td>{v}</td>"


def _table(headers, rows):
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f'<div class="scroll"><table><tr>{head}</tr>\n' + "\n".join(rows) + "</table></div>"


def _point_links(sweep, p):
    rel = os.path.relpath(sweep.point_dir(p), sweep.folder)
    links = [f'<a href="{esc(rel)}/">folder</a>']
    for f in ("stats.json", "layers.csv", "effective_config.json"):
        if os.path.exists(os.path.join(sweep.folder, rel, f)):
            links.append(f'<a href="{esc(rel)}/{esc(f)}">{esc(f.split(".")[0])}</a>')
    return " ".join(links)


def _pareto_section(sweep, name, xkey, ykey):
    front = sweep.front(xkey, ykey)
    if not front:
        return (f"<h2>Pareto front: {esc(name)}</h2><p class=note>Not available: some point "
                f"has no {esc(xkey)} or {esc(ykey)} value.</p>")
    figs = [k for k in FIGURES if k in sweep.header]
    headers = ["id", "model"] + sweep.axes + figs + ["reports"]
    rows = []
    for p in front:
        cells = [_cell(esc(p.id), "text"), _cell(esc(p.model), "text")]
        cells += [_cell(esc(p.axes[k])) for k in sweep.axes]
        cells += [_cell(fmt(p.row[k])) for k in figs]
        cells.append(_cell(_point_links(sweep, p), "text"))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<h2>Pareto front: {esc(name)}</h2><p>{len(front)} points no other point of the "
            f"same model beats on both (lower is better).</p>" + _table(headers, rows))


def _figures(figs):
    out = []
    for f in figs:
        svg = f["png"][:-4] + ".svg"
        out.append(f'<figure><a href="plots/{esc(svg)}"><img src="plots/{esc(f["png"])}" '
                   f'alt="{esc(f["title"])}"></a><figcaption>{esc(f["title"])} '
                   f'(<a href="plots/{esc(svg)}">SVG</a>)</figcaption></figure>')
    return '<div class="plots">\n' + "\n".join(out) + "\n</div>"


def write_page(sweep, figs, notes):
    ok = len(sweep.ok())
    failed = len(sweep.points) - ok
    parts = [f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
             f"<title>intvit sweep: {esc(os.path.basename(os.path.abspath(sweep.folder)))}"
             f"</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>",
             f"<h1>intvit sweep: {esc(os.path.abspath(sweep.folder))}</h1>",
             f"<p>{len(sweep.points)} points: {ok} ok, {failed} failed; models "
             f"{esc(', '.join(sweep.models))}; axes {esc(', '.join(sweep.axes) or 'none')}. "
             f'<a href="results.csv">results.csv</a> <a href="results.jsonl">results.jsonl</a>'
             f"</p>"]
    parts += [f"<p class=note>{esc(n)}</p>" for n in notes]
    parts.append(_pareto_section(sweep, "latency vs area", "area_mm2", "latency_us"))
    parts.append(_pareto_section(sweep, "energy vs latency", "latency_us", "energy_uj"))
    parts.append("<h2>Plots</h2>" + _figures(figs))
    spec = json.dumps(sweep.spec, indent=2) if sweep.spec is not None else "(no spec.json)"
    parts.append(f"<h2>Sweep spec</h2><pre>{esc(spec)}</pre>")
    headers = [h for h in sweep.header if h != "dir"] + ["reports"]
    rows = []
    for p in sweep.points:
        cells = [_cell(fmt(p.row[h]), "" if _numeric(p.row[h]) else "text")
                 for h in sweep.header if h != "dir"]
        cells.append(_cell(_point_links(sweep, p), "text"))
        rows.append(f'<tr class="{"ok" if p.ok else "failed"}">' + "".join(cells) + "</tr>")
    parts.append("<h2>All results</h2>" + _table(headers, rows))
    parts.append("</body></html>\n")
    write_atomically(os.path.join(sweep.folder, "index.html"), "\n".join(parts))


def _numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def fmt(text):
    """A figure as a person reads it: integers as they are, other numbers to 4 significant
    digits (no exponent from 0.001 up), anything else escaped as it is."""
    if not _numeric(text) or text.strip().lstrip("-").isdigit():
        return esc(text)
    v = float(text)
    return esc(f"{v:.0f}" if abs(v) >= 1000 else f"{v:.4g}")
