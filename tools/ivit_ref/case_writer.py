#!/usr/bin/env python3
"""Writing intvit-vector-v1 cases from ivit_ref outputs: the case registry, helpers for
realistic integer data, and emit(), which runs every case through the exact and the float64
paths of ivit_ref.py before writing it. Used by make_cases.py (the committed vectors/ivit
cases, defined in cases_*.py) and fuzz_cases.py."""

import json
import math
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ivit_ref as R  # noqa: E402

GENERATOR = "tools/ivit_ref/make_cases.py (independent Python S0 reference)"
INLINE_MAX = 256          # outputs with more values go to a .hex file
SIZE_LIMIT = 200 * 1024

CASES = []                # (name, function)
REPORT = []               # README rows
DIVERGENCES = []          # (case, count, total, note)


def case(name):
    def reg(fn):
        CASES.append((name, fn))
        return fn
    return reg


# ------------------------------------------------------------------------------------------
# helpers for realistic data
# ------------------------------------------------------------------------------------------

def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def quant(v, s, bits):
    """linear_quantize: RHE(RN32(RN32(1/s) * v)), then clamp to the signed range."""
    n = (1 << (bits - 1)) - 1
    s = R.f32(s)
    q = round(R.f32(R.f32(1.0 / s) * R.f32(v)))
    return clamp(q, -n - 1, n)


def gauss_ints(rng, count, sigma, lo, hi, mu=0.0):
    return [clamp(int(round(rng.gauss(mu, sigma))), lo, hi) for _ in range(count)]


def weight_rows(rng, N, K, heavy=False):
    """Per-output-channel symmetric int8 weights: each row's max |w| maps to 127."""
    w = []
    for _ in range(N):
        row = [rng.gauss(0.0, 1.0) * (rng.choice([1, 1, 1, 3]) if heavy else 1) for _ in range(K)]
        mx = max(abs(v) for v in row)
        w.extend(clamp(int(round(v / mx * 127)), -128, 127) for v in row)
    return w


def ln_bias_int(C, gammas, betas):
    """bias_int = floor(RN32(RN32(beta/gamma) / RN32(sqrt(C)/2^30))) as I-LayerNorm does in
    float32; also returns the per-channel output scales RN32(sqrt(C)/2^30 * gamma)."""
    dim_sqrt = R.f32(math.sqrt(R.f32(float(C))))
    sf = R.f32(dim_sqrt / 2 ** 30)
    bias_int, scales = [], []
    for g, b in zip(gammas, betas):
        g, b = R.f32(g), R.f32(b)
        bias_int.append(math.floor(R.f32(R.f32(b / g) / sf)))
        scales.append(R.f32(sf * g))
    return bias_int, scales


def residual_rows(rng, T, C, sigma=1500.0, outliers=3):
    chs = [1.0] * C
    offs = [rng.gauss(0, sigma * 0.3) for _ in range(C)]
    for c in rng.sample(range(C), outliers):
        chs[c] = rng.uniform(6, 12)
    x = []
    for _ in range(T):
        x.extend(clamp(int(round(offs[c] + rng.gauss(0, sigma) * chs[c])), -32768, 32767)
                 for c in range(C))
    return x


def requant_params_from_scales(s_in, s_out):
    """Per-channel or per-tensor (m, e) from float32 scales, as fixedpoint_mul derives them."""
    if isinstance(s_in, list):
        me = [R.dyadic_from_scales(s, s_out) for s in s_in]
        return [m for m, _ in me], [e for _, e in me]
    return R.dyadic_from_scales(s_in, s_out)


def calib_scale(values, bits, shrink=1.0):
    """Symmetric activation scale RN32(max|v| / (2^(b-1)-1)) (QuantAct), optionally shrunk so a
    few values saturate."""
    mx = max(abs(v) for v in values) * shrink
    return R.f32(R.f32(mx) / float((1 << (bits - 1)) - 1))


# ------------------------------------------------------------------------------------------
# writing a case
# ------------------------------------------------------------------------------------------

def tensor_json(t):
    return json.dumps(t, separators=(", ", ": "))


def emit(out_root, name, op, params, inputs, seed, source, desc, out_dtype=None,
         expect_f64_divergence=False, stats=None, output_file=None, alt=None, meta_extra=None):
    """inputs: name -> (dtype, shape, flat data). alt = (label, param overrides): count how many
    outputs would change under the other variant (reported in the README). meta_extra: more
    keys for the manifest's meta (fuzz_cases.py records its seed and case index there)."""
    ins = {k: (d, s) for k, (_, s, d) in inputs.items()}
    for k, (dt, shape, data) in inputs.items():
        assert len(data) == R.prod(shape), (name, k)
        assert R.fits(dt, data), (name, k, dt)
    exact = R.run_op(op, params, ins, stats=stats)
    lit = R.run_op(op, params, ins, f64=True)
    (y, yshape), (yf, _) = exact["y"], lit["y"]
    ndiff = sum(1 for a, b in zip(y, yf) if a != b)
    if expect_f64_divergence:
        assert ndiff > 0, "%s: expected the float64 transcription to differ" % name
        DIVERGENCES.append((name, ndiff, len(y)))
    else:
        assert ndiff == 0, "%s: float64 transcription differs from exact on %d values" % (
            name, ndiff)
    if op == "shiftgelu":
        p = params
        ysat = R.shiftgelu(ins["x"][0], ins["x"][1], p["x0"], p.get("n", 23),
                           p.get("out_bits", 8), p.get("div", R.DIV_CODE), sat64=True)
        assert ysat == y, "%s: int64-saturating GELU differs" % name
    if out_dtype is None:
        out_dtype = {"requant": "int8" if params.get("out_bits") == 8 else "int16",
                     "shiftmax": "uint16", "layernorm": "int64", "linear": "int32",
                     "matmul": "int32", "conv_patch": "int32",
                     "shiftgelu": "int16" if R.fits("int16", y) else "int32"}[op]
    assert R.fits(out_dtype, y), "%s: output does not fit %s" % (name, out_dtype)
    if alt is not None:
        label, over = alt
        ya = R.run_op(op, dict(params, **over), ins)["y"][0]
        nalt = sum(1 for a, b in zip(y, ya) if a != b)
        desc += "; differs from %s on %d of %d values" % (label, nalt, len(y))

    d = os.path.join(out_root, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    out_t = {"dtype": out_dtype, "shape": yshape}
    if output_file or (output_file is None and len(y) > INLINE_MAX):
        out_t["file"] = "y.hex"
        with open(os.path.join(d, "y.hex"), "w") as fh:
            fh.write(R.hex_lines(y, out_dtype))
    else:
        out_t["data"] = y
    meta = {"generator": GENERATOR, "seed": seed, "source": source}
    meta.update(meta_extra or {})
    lines = ["{", '  "format": "intvit-vector-v1",', '  "op": %s,' % json.dumps(op),
             '  "params": %s,' % json.dumps(params, separators=(", ", ": ")),
             '  "inputs": {']
    items = ['    %s: %s' % (json.dumps(k), tensor_json({"dtype": dt, "shape": s, "data": dd}))
             for k, (dt, s, dd) in inputs.items()]
    lines.append(",\n".join(items))
    lines += ["  },", '  "outputs": {', '    "y": %s' % tensor_json(out_t), "  },",
              '  "meta": %s' % json.dumps(meta, separators=(", ", ": ")), "}"]
    with open(os.path.join(d, "manifest.json"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    assert size < SIZE_LIMIT, "%s is %d bytes" % (name, size)
    shapes = ", ".join("%s %s%s" % (k, dt, list(s)) for k, (dt, s, _) in inputs.items())
    REPORT.append((name, op, shapes + " -> y %s%s" % (out_dtype, yshape), desc))
    return y
