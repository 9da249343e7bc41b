"""Reading a results or run folder and writing figures and pages, by intvit's rules
(docs/robustness.md): files a user names are opened only when they are regular files under a
size cap, JSON is strict (no duplicate keys, no NaN), and every file written goes to a
temporary in the same folder that is then renamed into place, so a kill leaves the old file or
the new one, never half of one. A bad input raises UserError, which intvit_plot.py prints as
one `error:` line and exit 2."""

import csv
import io
import json
import os
import stat

CSV_CAP = 256 << 20  # results.csv, layers.csv
JSON_CAP = 64 << 20  # spec.json, effective_config.json, stats.json
TRACE_CAP = 1 << 30  # trace.json of a long run


class UserError(Exception):
    """A bad folder or file: printed as `error: <message>`, exit 2."""


def read_text(path, cap, kind):
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file (the {kind})") from None
    except OSError as e:
        raise UserError(f"{path}: cannot read the {kind} ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{path}: not a regular file; the {kind} must be one")
    if st.st_size > cap:
        raise UserError(f"{path}: is {st.st_size} bytes; the {kind} may be at most {cap} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            data = f.read(cap + 1)
    except OSError as e:
        raise UserError(f"{path}: cannot read the {kind} ({e.strerror})") from None
    if len(data) > cap:
        raise UserError(f"{path}: grew past {cap} bytes while read; the {kind} is refused")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text (byte {e.start}); the {kind} is refused") from None


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key '{k}' in one JSON object")
        out[k] = v
    return out


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def read_json(path, kind, cap=JSON_CAP):
    text = read_text(path, cap, kind)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:
        raise UserError(f"{path}: not valid JSON: {e}") from None


def read_csv(path, kind, required=()):
    """Rows of a CSV file as dicts keyed by the header's names (read by name, never by
    position); raises UserError when a required column is absent or a row is ragged."""
    text = read_text(path, CSV_CAP, kind)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(f"{path}: empty; the {kind} needs a header line") from None
    except csv.Error as e:
        raise UserError(f"{path}: line 1: {e}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise UserError(f"{path}: no column '{missing[0]}' (the {kind} must have "
                        f"{', '.join(required)})")
    rows = []
    try:
        for fields in reader:
            if not fields:
                continue
            if len(fields) != len(header):
                raise UserError(f"{path}: line {reader.line_num}: {len(fields)} fields, the "
                                f"header has {len(header)}")
            rows.append(dict(zip(header, fields)))
    except csv.Error as e:
        raise UserError(f"{path}: line {reader.line_num}: {e}") from None
    return header, rows


def number(row, key, where):
    """The row's value of `key` as a float, None when empty; UserError when not a number."""
    text = row.get(key, "")
    if text is None or text.strip() == "":
        return None
    try:
        v = float(text)
    except ValueError:
        raise UserError(f"{where}: column '{key}': '{text[:40]}' is not a number") from None
    if v != v or v in (float("inf"), float("-inf")):
        raise UserError(f"{where}: column '{key}': {text} is not a finite number")
    return v


def write_atomically(path, data):
    """Writes bytes or text as the whole content of `path` (temporary + rename)."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.tmp.{os.getpid()}")
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        with open(tmp, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UserError(f"{path}: cannot write ({e.strerror})") from None


def save_figure(fig, folder, stem):
    """Writes <folder>/<stem>.png and .svg, each whole or not at all; returns the PNG's name."""
    for ext in ("png", "svg"):
        buf = io.BytesIO()
        # No date and a fixed hash salt: the same data gives the same SVG bytes.
        meta = {"Date": None} if ext == "svg" else {}
        fig.savefig(buf, format=ext, dpi=110, metadata=meta)
        write_atomically(os.path.join(folder, f"{stem}.{ext}"), buf.getvalue())
    return f"{stem}.png"


def make_folder(path):
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise UserError(f"{path}: cannot create the folder ({e.strerror})") from None
    if not os.access(path, os.W_OK):
        raise UserError(f"{path}: not writable")
