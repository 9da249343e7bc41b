#!/usr/bin/env python3
"""Seeded random intvit-vector-v1 cases for differential fuzzing of `intvit op check`.

    python3 tools/ivit_ref/fuzz_cases.py --seed S --count N --out DIR [--ops a,b,...]
                                         [--max-elems E] [--first I]

writes DIR/<index>_<op>/manifest.json for case indices I .. I+N-1 (round robin over the ops),
each with expected outputs from ivit_ref.py's exact path (semantics S0). Every case also runs
through ivit_ref's float64 transcription of the PyTorch modules (and the int64-saturating GELU)
via make_cases.emit, which must agree; the one documented exception is requant, whose float64
fixedpoint_mul can round a product above 2^53 onto a tie: such cases are still written (S0 is
the expectation) and counted.

Case `i` of seed `S` depends on (S, i) only, so `--first I --count 1` regenerates one case of a
campaign. meta.fuzz records seed, index, op and the choices made (shapes, distribution, param
regime). Standard library only.

What is randomized, within the ranges docs/vectors.md and the ops' Check*Params accept:
shapes (rows of 1 .. 4097 elements, 1-element rows, several leading axes, GEMM M/K/N not
multiples of the 16x16 array, ragged conv images), every input dtype an op takes, declared output
dtypes, parameters over their whole legal range next to realistic I-ViT values (x0, n, out_bits,
div, bias_int, sqrt_iters, sqrt_init, m up to +-2^31, e in [-62, 126], both roundings,
per-channel and per-tensor, residual branches) and value distributions (uniform over the dtype,
constant rows, all-min / all-max, gaussian, sparse spikes, narrow bands, alternating extremes).
"""

import argparse
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ivit_ref as R  # noqa: E402
import case_writer as MC  # noqa: E402

GENERATOR = "tools/ivit_ref/fuzz_cases.py (seeded differential fuzzer, ivit_ref S0 outputs)"
OPS = ["requant", "shiftmax", "shiftgelu", "layernorm", "linear", "matmul", "conv_patch"]
MAX_ELEMS = 50000     # per tensor, by default
MAX_MACS = 120000     # GEMM work per case (pure Python computes it twice)
RTL_MAX_COLS = 4096   # the row units' MaxCols (docs/rtl_nonlinear.md); 4097 tests the refusal

# Row lengths worth hitting: 1, small odd, lane multiples +-1, ViT widths, over 1000.
ROW_LENS = [1, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 100, 127, 128,
            129, 192, 197, 255, 256, 257, 384, 385, 511, 768, 1000, 1023, 1024, 1025, 1500,
            2047, 3072, 4095, 4096, 4097]


# ------------------------------------------------------------------------------------------
# value distributions
# ------------------------------------------------------------------------------------------

DISTS = ["uniform", "gauss", "const_rows", "all_min", "all_max", "spikes", "band", "alternate",
         "mixed_rows"]


def _row_values(rng, dist, n, lo, hi):
    if dist == "uniform":
        return [rng.randint(lo, hi) for _ in range(n)]
    if dist == "gauss":
        mu = rng.choice([0.0, 0.0, rng.uniform(lo, hi)])
        sigma = (hi - lo) * rng.choice([0.002, 0.02, 0.1, 0.3, 1.0])
        return MC.gauss_ints(rng, n, sigma, lo, hi, mu)
    if dist == "const_rows":
        return [rng.choice([lo, hi, 0, rng.randint(lo, hi)])] * n
    if dist == "all_min":
        return [lo] * n
    if dist == "all_max":
        return [hi] * n
    if dist == "spikes":
        base = rng.choice([0, lo, rng.randint(lo, hi)])
        out = [base] * n
        for _ in range(max(1, n // rng.choice([4, 16, 100]))):
            out[rng.randrange(n)] = rng.choice([lo, hi, rng.randint(lo, hi)])
        return out
    if dist == "band":
        c = rng.randint(lo, hi)
        w = rng.choice([0, 1, 2, 5, 20])
        return [MC.clamp(c + rng.randint(-w, w), lo, hi) for _ in range(n)]
    if dist == "alternate":
        a, b = rng.choice([(lo, hi), (hi, lo), (lo, 0), (0, hi)])
        return [a if j % 2 == 0 else b for j in range(n)]
    raise ValueError(dist)


def values(rng, dist, count, row, lo, hi):
    """count values in rows of `row`; "mixed_rows" picks a distribution per row."""
    out = []
    while len(out) < count:
        n = min(row, count - len(out))
        d = rng.choice(DISTS[:-1]) if dist == "mixed_rows" else dist
        out.extend(_row_values(rng, d, n, lo, hi))
    return out


def tensor(rng, dtype, shape, dist=None):
    lo, hi = R.dtype_range(dtype)
    dist = dist or rng.choice(DISTS)
    return dist, values(rng, dist, R.prod(shape), shape[-1] if shape else 1, lo, hi)


# ------------------------------------------------------------------------------------------
# shapes
# ------------------------------------------------------------------------------------------

def log_int(rng, lo, hi):
    """An integer in [lo, hi], log-uniform (small values as likely as large ones)."""
    return min(hi, max(lo, int(math.exp(rng.uniform(math.log(lo), math.log(hi + 1))))))


def row_shape(rng, max_elems, cols=None):
    """[..., cols] with 0-3 leading axes and at most max_elems elements."""
    cols = cols or rng.choice(ROW_LENS)
    rows = log_int(rng, 1, max(1, min(300, max_elems // cols)))
    lead = [rows]
    if rows > 1 and rng.random() < 0.4:     # split the rows over batch / head axes
        d = [k for k in range(2, rows + 1) if rows % k == 0]
        a = rng.choice(d)
        lead = [a, rows // a]
        if rows // a > 1 and rng.random() < 0.3:
            lead = [a, 1, rows // a]
    elif rng.random() < 0.15:
        lead = []                            # a 1-D tensor: one row
    if rng.random() < 0.02:
        lead = rng.choice([[0], [2, 0], [0, 3]])   # no rows at all (rows themselves are never empty)
    return lead + [cols]


# ------------------------------------------------------------------------------------------
# per-op generators: each returns (params, inputs, out_dtype or None, notes)
# inputs: name -> (dtype, shape, flat values)
# ------------------------------------------------------------------------------------------

def _dyadic(rng, regime):
    """(m, e) for one channel."""
    if regime == "realistic":               # batch_frexp of a plausible scale ratio
        m, e = R.batch_frexp(rng.choice([1, 1, 1, -1]) * 2.0 ** rng.uniform(-55, -1))
        return m, e
    m = rng.choice([2**31, -2**31, 2**30, -2**30, 2**31 - 1, 0, 1, -1,
                    rng.randint(-2**31, 2**31), rng.choice([1, -1]) * rng.randint(2**30, 2**31)])
    e = rng.choice([rng.randint(-62, 126), rng.randint(0, 64), rng.randint(30, 56), 0, 1, 31,
                    62, 63, 64, 126, -62])
    return m, e


def _mults(rng, C, regime):
    """m and e as the format allows: scalars, per-channel lists, or a mix (list + scalar)."""
    form = rng.choice(["tensor", "channel", "channel", "m_list", "e_list", "list1"])
    if form == "tensor":
        return _dyadic(rng, regime) + (form,)
    if form == "list1":
        m, e = _dyadic(rng, regime)
        return [m], [e], form
    me = [_dyadic(rng, regime) for _ in range(C)]
    m, e = [a for a, _ in me], [b for _, b in me]
    if form == "m_list":
        return m, e[0], form
    if form == "e_list":
        return m[0], e, form
    return m, e, form


def gen_requant(rng, max_elems):
    shape = row_shape(rng, max_elems)
    C = shape[-1]
    regime = rng.choice(["realistic", "wide", "wide"])
    xdt = rng.choice(["int8", "int16", "int32", "int32", "int64"])
    dist, x = tensor(rng, xdt, shape)
    if xdt == "int64" and rng.random() < 0.7:   # int64 LayerNorm-like magnitudes
        x = [v >> rng.choice([14, 20, 23, 30]) for v in x]
    m, e, form = _mults(rng, C, regime)
    out_bits = rng.choice([8, 16])
    params = {"m": m, "e": e, "out_bits": out_bits,
              "rounding": rng.choice(["half_even", "half_up"])}
    if rng.random() < 0.15:
        del params["rounding"]               # the default (half_even)
    inputs = {"x": (xdt, shape, x)}
    notes = {"regime": regime, "mult_form": form, "x_dist": dist}
    if rng.random() < 0.4:
        rdt = rng.choice(["int8", "int16", "int32", "int64", xdt])
        rdist, res = tensor(rng, rdt, shape)
        m_res, e_res, rform = _mults(rng, C, rng.choice(["realistic", "wide"]))
        params["m_res"], params["e_res"] = m_res, e_res
        inputs["res"] = (rdt, shape, res)
        notes.update(res_dist=rdist, res_form=rform)
    out_dtype = rng.choice({8: ["int8", "int8", "int16", "int32"], 16: ["int16", "int32"]}
                           [out_bits])
    return "requant", params, inputs, out_dtype, notes


def _shift_params(rng, op):
    """x0, n, out_bits, div for shiftmax / shiftgelu inside Check*Params."""
    regime = rng.choice(["realistic", "realistic", "wide"])
    if regime == "realistic":
        x0 = -rng.choice([1, 2, 3, 5, 7, 12, 13, 47, 100, 250, 294, rng.randint(1, 400)])
        if op == "shiftmax":
            n, out_bits = 15, rng.choice([16, 16, 8])
        else:
            n, out_bits = 23, 8
        div = rng.choice([R.DIV_CODE, R.DIV_CODE, R.DIV_F32])
    else:
        out_bits = rng.randint(2, 16)
        div = rng.choice([R.DIV_CODE, R.DIV_F32, 1, 2, rng.randint(1, 2**31),
                          rng.randint(1, 1000)])
        while True:
            x0 = -log_int(rng, 1, 2**31) if rng.random() < 0.8 else \
                -rng.choice([1, 2, 2**31, 2**31 - 1, 2**rng.randint(0, 31)])
            if op == "shiftmax":
                # (|x0| << n) >> (32 - out_bits) <= 65535 (uint16 outputs)
                cap = (65536 << (32 - out_bits)) - 1
            else:
                # max(div, |x0| << n) >> (32 - out_bits) <= 2^24 - 1 (x * sig inside int32)
                cap = (((2**31 - 1) >> 7) + 1 << (32 - out_bits)) - 1
                if div > cap:
                    div = rng.randint(1, cap)
            nmax = min(30, 61 - (-x0).bit_length())
            while nmax >= 0 and (-x0) << nmax > cap:
                nmax -= 1
            if nmax >= 0:
                n = rng.randint(0, nmax) if rng.random() < 0.6 else nmax
                break
    params = {"x0": x0, "n": n, "out_bits": out_bits, "div": div}
    for k, d in (("n", 15 if op == "shiftmax" else 23), ("out_bits", 16 if op == "shiftmax"
                                                           else 8), ("div", R.DIV_CODE)):
        if params[k] == d and rng.random() < 0.3:
            del params[k]                    # exercise the defaults
    return params, regime


def gen_shiftmax(rng, max_elems):
    shape = row_shape(rng, max_elems)
    params, regime = _shift_params(rng, "shiftmax")
    dist, x = tensor(rng, "int8", shape)
    out_bits = params.get("out_bits", 16)
    choices = ["uint16", "uint16", "int32"] + (["uint8"] if out_bits <= 8 else [])
    return "shiftmax", params, {"x": ("int8", shape, x)}, rng.choice(choices), \
        {"regime": regime, "x_dist": dist}


def gen_shiftgelu(rng, max_elems):
    shape = row_shape(rng, max_elems)
    params, regime = _shift_params(rng, "shiftgelu")
    dist, x = tensor(rng, "int8", shape)
    # out_dtype None: int16 when every value fits, else int32 (as `op run` writes it)
    return "shiftgelu", params, {"x": ("int8", shape, x)}, rng.choice([None, None, "int32"]), \
        {"regime": regime, "x_dist": dist}


def gen_layernorm(rng, max_elems):
    shape = row_shape(rng, max_elems)
    C = shape[-1]
    regime = rng.choice(["realistic", "realistic", "wide"])
    if regime == "realistic" and rng.random() < 0.5:
        dist = "residual_rows"
        x = MC.residual_rows(rng, R.prod(shape) // C, C, sigma=rng.choice([50.0, 1500.0, 8000.0]),
                             outliers=min(C, 3))
    else:
        dist, x = tensor(rng, "int16", shape)
    if regime == "realistic":
        gam = [rng.choice([1, 1, 1, -1]) * max(0.01, rng.gauss(1.0, 0.4)) for _ in range(C)]
        bet = [rng.gauss(0.0, 0.3) for _ in range(C)]
        bias_int, _ = MC.ln_bias_int(C, gam, bet)
        params = {"bias_int": bias_int}
        if rng.random() < 0.5:
            params.update(sqrt_iters=10, sqrt_init=65536)
        params["div"] = rng.choice([R.DIV_CODE, R.DIV_F32])
    else:
        lim = 2**62 - 1
        bias_int = rng.choice([
            lambda: [0] * C,
            lambda: [rng.randint(-lim, lim) for _ in range(C)],
            lambda: [rng.choice([lim, -lim, 0, 1, -1]) for _ in range(C)],
            lambda: [rng.randint(-2**40, 2**40) for _ in range(C)]])()
        # sqrt_init in [2^iters, 2^62): iters 62 has no legal init, 61 only 2^61 .. 2^62 - 1
        iters = rng.choice([0, 1, 2, 5, 10, 10, 20, 40, 61, rng.randint(0, 61)])
        init = rng.choice([2**iters, 65536, 2**16 + 1, 2**43, 2**44 - 1, 2**44, 2**62 - 1,
                           log_int(rng, 1, 2**62 - 1)])
        init = min(max(init, 2**iters), 2**62 - 1)
        params = {"bias_int": bias_int, "sqrt_iters": iters, "sqrt_init": init,
                  "div": rng.choice([R.DIV_CODE, R.DIV_F32, 1, rng.randint(1, 2**31)])}
    return "layernorm", params, {"x": ("int16", shape, x)}, rng.choice(["int64", "int64", "int32"]), \
        {"regime": regime, "x_dist": dist}


def _gemm_dims(rng, batch=1):
    dims = [1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 48, 64, 65, 100, 192, 197, 256, 300]
    while True:
        M, K, N = rng.choice(dims), rng.choice(dims), rng.choice(dims)
        if rng.random() < 0.04:              # an empty axis: K = 0 leaves y = bias
            M, K, N = rng.choice([(0, K, N), (M, 0, N), (M, 0, N), (M, K, 0)])
        if batch * M * K * N <= MAX_MACS:
            return M, K, N


def _bias(rng, N, K, amax):
    """int32 bias: realistic, near the edges that still cannot overflow (|b| + K*amax*128 <
    2^31, the array's documented precondition), at the int32 edges (the sum may leave int32:
    the exact sum saturates, docs/vectors.md), or anywhere in int32."""
    kind = rng.choice(["gauss", "gauss", "gauss", "edge_safe", "edge_safe", "full", "edge"])
    if kind == "edge":
        return kind, [rng.choice([2**31 - 1, -2**31, 0]) for _ in range(N)]
    if kind == "gauss":
        return kind, MC.gauss_ints(rng, N, rng.choice([10.0, 3e4, 3e6]), -2**31, 2**31 - 1)
    if kind == "edge_safe":
        lim = 2**31 - 1 - K * amax * 128
        return kind, [rng.choice([lim, -lim - 1, 0]) for _ in range(N)]
    return kind, [rng.randint(-2**31, 2**31 - 1) for _ in range(N)]


def gen_linear(rng, max_elems):
    T, K, N = _gemm_dims(rng)
    xd, x = tensor(rng, "int8", [T, K])
    wd, w = tensor(rng, "int8", [N, K])
    # Sometimes with leading axes, as I-ViT's QuantLinear sees x [B, N, C].
    x_shape = [T, K]
    if rng.random() < 0.25:
        B = rng.choice([b for b in (1, 2, 3) if T % b == 0])
        x_shape = [B, T // B, K]
    inputs = {"x": ("int8", x_shape, x), "w": ("int8", [N, K], w)}
    notes = {"x_dist": xd, "w_dist": wd, "bias": "none"}
    if rng.random() < 0.8:
        kind, b = _bias(rng, N, K, 128)
        inputs["b"] = ("int32", [N], b)
        notes["bias"] = kind
    return "linear", {}, inputs, "int32", notes


def gen_matmul(rng, max_elems):
    lead = rng.choice([[], [], [2], [3], [1], [2, 3], [1, 2]] * 8 + [[0]])
    B = R.prod(lead)
    M, K, N = _gemm_dims(rng, B)
    adt = rng.choice(["int8", "uint16", "uint16"])
    notes = {"a_dtype": adt}
    if adt == "uint16" and rng.random() < 0.08:
        # large uint16 rows over a long K: 65535 * 127 * K leaves int32 from K = 259 (saturates)
        M, K, N = rng.randint(1, 3), rng.choice([256, 259, 300, 512]), rng.randint(1, 20)
        lead = []
        a = [65535 if rng.random() < 0.8 else rng.randint(0, 65535) for _ in range(M * K)]
        col = [rng.choice([127, -128, rng.randint(-128, 127)]) for _ in range(N)]
        b = [col[i % N] if rng.random() < 0.9 else rng.randint(-128, 127) for i in range(K * N)]
        notes.update(a_dist="large_rows", b_dist="extremes")
        return "matmul", {}, {"a": (adt, [M, K], a), "b": ("int8", [K, N], b)}, "int32", notes
    if adt == "uint16" and K > 0 and rng.random() < 0.6:
        # attention probabilities: Shiftmax rows (sum <= 2^15, or 2^15 + K with DIV = 2^31)
        x0 = -rng.randint(1, 300)
        logits = values(rng, rng.choice(DISTS), B * M * K, K, -128, 127)
        a = R.shiftmax(logits, [B * M, K], x0, div=rng.choice([R.DIV_CODE, R.DIV_F32]))
        notes["a_dist"] = "shiftmax_rows"
    else:
        notes["a_dist"], a = tensor(rng, adt, lead + [M, K])
    notes["b_dist"], b = tensor(rng, "int8", lead + [K, N])
    return "matmul", {}, {"a": (adt, lead + [M, K], a), "b": ("int8", lead + [K, N], b)}, \
        "int32", notes


def gen_conv_patch(rng, max_elems):
    while True:
        P = rng.choice([1, 2, 3, 4, 5, 7, 8, 16, rng.randint(1, 16)])
        Cin = rng.choice([1, 2, 3, 3, 4] * 12 + [0])        # Cin = 0: y = bias
        Cout = rng.choice([1, 2, 3, 5, 8, 16, 17, 24] * 6 + [0])
        GH, GW = rng.randint(1, 6), rng.randint(1, 6)
        H = GH * P + rng.choice([0, 0, rng.randint(0, P - 1)])
        W = GW * P + rng.choice([0, 0, rng.randint(0, P - 1)])
        if GH * GW * Cout * Cin * P * P <= MAX_MACS and Cin * H * W <= max_elems:
            break
    # Sometimes a batch of images, as I-ViT's QuantConv2d sees x [B, 3, H, W].
    lead = rng.choice([[], [], [], [1], [2]])
    if lead == [2] and (2 * Cin * H * W > max_elems or 2 * GH * GW * Cout * Cin * P * P > MAX_MACS):
        lead = []
    xd, x = tensor(rng, "int8", lead + [Cin, H, W])
    wd, w = tensor(rng, "int8", [Cout, Cin, P, P])
    params = {"patch": P} if rng.random() < 0.7 else {}
    inputs = {"x": ("int8", lead + [Cin, H, W], x), "w": ("int8", [Cout, Cin, P, P], w)}
    notes = {"x_dist": xd, "w_dist": wd, "bias": "none"}
    if rng.random() < 0.8:
        kind, b = _bias(rng, Cout, Cin * P * P, 128)
        inputs["b"] = ("int32", [Cout], b)
        notes["bias"] = kind
    return "conv_patch", params, inputs, "int32", notes


GENERATORS = {"requant": gen_requant, "shiftmax": gen_shiftmax, "shiftgelu": gen_shiftgelu,
              "layernorm": gen_layernorm, "linear": gen_linear, "matmul": gen_matmul,
              "conv_patch": gen_conv_patch}


# ------------------------------------------------------------------------------------------

def case_rng(seed, index):
    return random.Random("intvit-fuzz:%d:%d" % (seed, index))


def make_case(out_root, seed, index, op, max_elems, stats):
    """Generates and writes case `index`; returns its directory name."""
    rng = case_rng(seed, index)
    for attempt in range(50):
        op_, params, inputs, out_dtype, notes = GENERATORS[op](rng, max_elems)
        try:
            op_stats = {}
            y = R.run_op(op, params, {k: (d, s) for k, (_, s, d) in inputs.items()},
                         stats=op_stats)["y"][0]
            break
        except OverflowError:
            # a requant residual whose branch leaves int64: outside S0's int64 arithmetic
            # (the int64 implementations saturate each branch); draw again
            stats["redrawn_int64_branch"] = stats.get("redrawn_int64_branch", 0) + 1
    else:
        raise RuntimeError("case %d: no case inside int64 after 50 draws" % index)
    name = "%05d_%s" % (index, op)
    if out_dtype is not None and not R.fits(out_dtype, y):
        # a narrower declared dtype only when the values fit it (else op check can't read it)
        out_dtype = {"layernorm": "int64", "shiftmax": "uint16"}[op]
    cols = inputs["x"][1][-1] if "x" in inputs and op in ("shiftmax", "shiftgelu", "layernorm") \
        else None
    if cols is not None and cols > RTL_MAX_COLS:
        notes["rtl_expect"] = "refused: rows over MaxCols %d" % RTL_MAX_COLS
    if op_stats.get("int32_saturated"):
        notes["rtl_expect"] = "refused: an exact sum outside the array's int32 accumulator"
    if op == "layernorm" and params.get("sqrt_init", 65536) >= 2**44:
        notes["rtl_expect"] = "refused: sqrt_init over the 44-bit Newton register"
    notes.update(seed=seed, index=index, op=op)
    meta = {"fuzz": notes}
    source = "fuzz_cases.py --seed %d, case %d (%s)" % (seed, index, op)
    emit_args = dict(out_dtype=out_dtype, meta_extra=meta)
    try:
        MC.emit(out_root, name, op, params, inputs, seed, source, "", **emit_args)
    except AssertionError as err:
        # Where binary64 itself cannot hold the integers, the float64 transcription may differ:
        # requant's fixedpoint_mul rounds a product above 2^53 (find_f64_requant_traps), and
        # LayerNorm adds a bias_int above 2^53. Anywhere else a difference is a bug here.
        big_bias = op == "layernorm" and max(abs(b) for b in params["bias_int"]) >= 2**52
        if "float64 transcription differs" not in str(err) or \
                not (op == "requant" or big_bias):
            raise
        MC.emit(out_root, name, op, params, inputs, seed, source, "",
                expect_f64_divergence=True, **emit_args)
        stats["f64_divergent_" + op] = stats.get("f64_divergent_" + op, 0) + 1
    return name


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ops", default=",".join(OPS), help="comma-separated (default: all)")
    ap.add_argument("--first", type=int, default=0, help="index of the first case")
    ap.add_argument("--max-elems", type=int, default=MAX_ELEMS,
                    help="largest row-op tensor (default %d)" % MAX_ELEMS)
    a = ap.parse_args(argv[1:])
    ops = [o for o in a.ops.split(",") if o]
    bad = [o for o in ops if o not in GENERATORS]
    if bad or not ops:
        ap.error("unknown op(s) %s (known: %s)" % (bad, ",".join(OPS)))
    MC.SIZE_LIMIT = 1 << 40          # emit's size guard is for committed cases
    os.makedirs(a.out, exist_ok=True)
    stats = {}
    counts = {}
    for i in range(a.first, a.first + a.count):
        op = ops[i % len(ops)]
        make_case(a.out, a.seed, i, op, a.max_elems, stats)
        counts[op] = counts.get(op, 0) + 1
    with open(os.path.join(a.out, "fuzz_index.json"), "w") as fh:
        json.dump({"seed": a.seed, "first": a.first, "count": a.count, "ops": ops,
                   "per_op": counts, "stats": stats}, fh, indent=1)
    print("fuzz_cases: seed %d, cases %d..%d in %s: %s%s" % (
        a.seed, a.first, a.first + a.count - 1, a.out,
        ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        "; " + ", ".join("%s %d" % kv for kv in sorted(stats.items())) if stats else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
