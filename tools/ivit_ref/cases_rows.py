"""The committed Shiftmax, ShiftGELU and LayerNorm cases of vectors/ivit (registered with @case)."""

import math
import random

import ivit_ref as R
from case_writer import *  # noqa: F401,F403
from cases_requant import _ln_realistic  # the requant LN cases use the same rows


# ------------------------------------------------------------------------------------------
# shiftmax
# ------------------------------------------------------------------------------------------

def _attn_logits(rng, rows, cols, s, sigma, spikes=0.05, spike=3.0):
    x = []
    for _ in range(rows):
        mu = rng.gauss(0, sigma * 0.3)
        for _ in range(cols):
            v = rng.gauss(mu, sigma) + (spike * sigma if rng.random() < spikes else 0.0)
            x.append(quant(v, s, 8))
    return x


def _shiftmax_case(out, name, seed, s, rows, cols, sigma, source, desc, div=R.DIV_CODE,
                   out_bits=16, need_clamp=None, spikes=0.05):
    alt = ("DIV 2^31-1", {"div": R.DIV_CODE}) if div == R.DIV_F32 else None
    rng = random.Random(seed)
    x0 = R.x0_softmax(s)
    x = _attn_logits(rng, rows, cols, s, sigma, spikes=spikes)
    stats = {}
    emit(out, name, "shiftmax", {"x0": x0, "n": 15, "out_bits": out_bits, "div": div},
         {"x": ("int8", [rows, cols], x)}, seed, source % {"x0": x0}, desc % {"x0": x0},
         stats=stats, alt=alt)
    if need_clamp is not None:
        assert (stats["clamped_rows"] > 0) == need_clamp, (name, stats)
    return stats


@case("shiftmax_s0p01_deit")
def _(out):
    _shiftmax_case(out, "shiftmax_s0p01_deit", 201, 0.01, 3, 197, 0.35,
                   "deit-tiny-like attention row, s = 0.01f -> x0 = %(x0)d (float32 division; "
                   "float64 would give -101)",
                   "3 heads x 197 keys, x0 = %(x0)d, 16-bit out, DIV 2^31-1", need_clamp=False)


@case("shiftmax_s0p08")
def _(out):
    _shiftmax_case(out, "shiftmax_s0p08", 202, 0.08, 3, 197, 2.5,
                   "peaky attention, s = 0.08f -> x0 = %(x0)d",
                   "x0 = %(x0)d, wide logit range (d down to -255, clamp at n*x0)",
                   need_clamp=False, spikes=0.02)


@case("shiftmax_s0p004_near_clamp")
def _(out):
    st = _shiftmax_case(out, "shiftmax_s0p004_near_clamp", 203, 0.004, 3, 197, 0.08,
                        "near-uniform attention, s = 0.004f -> x0 = %(x0)d, 197 keys",
                        "x0 = %(x0)d; row sums close to (below) DIV", need_clamp=False,
                        spikes=0.0)
    assert st["max_sum"] > 2**30


@case("shiftmax_s0p004_clamp")
def _(out):
    _shiftmax_case(out, "shiftmax_s0p004_clamp", 204, 0.004, 2, 320, 0.06,
                   "s = 0.004f -> x0 = %(x0)d with 320 keys: the row sum exceeds DIV",
                   "x0 = %(x0)d; sum clamped at DIV (factor = 1)", need_clamp=True, spikes=0.0)


@case("shiftmax_s0p002_clamp")
def _(out):
    _shiftmax_case(out, "shiftmax_s0p002_clamp", 205, 0.002, 2, 197, 0.04,
                   "s = 0.002f -> x0 = %(x0)d, 197 keys: the row sum exceeds DIV",
                   "x0 = %(x0)d; sum clamped at DIV", need_clamp=True, spikes=0.0)


@case("shiftmax_row1_div2p31")
def _(out):
    _shiftmax_case(out, "shiftmax_row1_div2p31", 206, 0.05, 1, 197, 1.5,
                   "single query row (cls token), s = 0.05f -> x0 = %(x0)d, DIV = 2^31",
                   "[1,197], DIV 2^31 (the float32 'match QAT' option); DIV only matters when the row sum divides 2^31", div=R.DIV_F32)


@case("shiftmax_out8")
def _(out):
    _shiftmax_case(out, "shiftmax_out8", 207, 0.03, 3, 197, 1.0,
                   "IntSoftmax(8) variant, s = 0.03f -> x0 = %(x0)d",
                   "out_bits 8: >> 24, outputs in [0, 127]", out_bits=8)


@case("shiftmax_edges")
def _(out, seed=208):
    rng = random.Random(seed)
    C = 16
    rows = [[0] * C, [127] * C, [-128] * C, [127] + [-128] * (C - 1),
            [-128] * (C - 1) + [127], list(range(-128, 128, 16)),
            [rng.choice([-128, 127]) for _ in range(C)], [rng.randrange(-128, 128) for _ in range(C)],
            [5, 5] + [-128] * (C - 2), [-1] * (C - 1) + [0]]
    x = [v for r in rows for v in r]
    x0 = R.x0_softmax(0.08)
    emit(out, "shiftmax_edges", "shiftmax", {"x0": x0, "n": 15, "out_bits": 16,
                                             "div": R.DIV_CODE},
         {"x": ("int8", [len(rows), C], x)}, seed,
         "hand-picked rows: constant, one-hot max, -128 vs 127 (d = -255), ramp, two maxima",
         "x0 = %d; int8 extremes, ties for the max" % x0)


@case("shiftmax_pow2sum_div2p31")
def _(out, seed=210):
    rng = random.Random(seed)
    C = 16
    x0 = R.x0_softmax(2.0 ** -7)
    assert x0 == -128
    rows = [[0] * C, [-57] * C, [127] * C,                    # S = 16 * 2^22 = 2^26
            [10] * 8 + [10 - 89] * 8,                         # S = 8*2^22 + 8*2^21 (not 2^k)
            [rng.randrange(-128, 128) for _ in range(C)]]
    x = [v for r in rows for v in r]
    emit(out, "shiftmax_pow2sum_div2p31", "shiftmax", {"x0": x0, "n": 15, "out_bits": 16,
                                                       "div": R.DIV_F32},
         {"x": ("int8", [len(rows), C], x)}, seed,
         "s = 2^-7 -> x0 = -128: constant rows of 16 give a row sum of exactly 2^26, where "
         "DIV = 2^31 and 2^31-1 give different factors (32 vs 31)",
         "x0 = -128, DIV 2^31", alt=("DIV 2^31-1", {"div": R.DIV_CODE}))


@case("shiftmax_1col_div2p31")
def _(out, seed=209):
    x = [5, -128, 127, 0]
    emit(out, "shiftmax_1col_div2p31", "shiftmax", {"x0": -128, "n": 15, "out_bits": 16,
                                                    "div": R.DIV_F32},
         {"x": ("int8", [4, 1], x)}, seed,
         "one key per row, x0 = -128 (|x0| a power of two), DIV = 2^31",
         "every output is 32768 = 2^15: needs the full uint16 (not int16)",
         alt=("DIV 2^31-1", {"div": R.DIV_CODE}))


# ------------------------------------------------------------------------------------------
# shiftgelu
# ------------------------------------------------------------------------------------------

def _gelu_inputs(rng, rows, cols, s):
    x = []
    for _ in range(rows):
        for _ in range(cols):
            v = rng.gauss(-0.25, 1.0)
            if rng.random() < 0.02:
                v *= 3.0
            x.append(quant(v, s, 8))
    return x


@case("shiftgelu_realistic")
def _(out, seed=301):
    rng = random.Random(seed)
    s = 0.05
    x0 = R.x0_gelu(s)
    x = _gelu_inputs(rng, 4, 768, s)
    emit(out, "shiftgelu_realistic", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                   "div": R.DIV_CODE},
         {"x": ("int8", [4, 768], x)}, seed,
         "deit-tiny mlp.act: 4 tokens x 768 hidden, s = 0.05f -> x0 = %d" % x0,
         "x0 = %d, DIV 2^31-1" % x0)


@case("shiftgelu_realistic_div2p31")
def _(out, seed=301):
    rng = random.Random(seed)
    s = 0.05
    x0 = R.x0_gelu(s)
    x = _gelu_inputs(rng, 4, 768, s)
    emit(out, "shiftgelu_realistic_div2p31", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                           "div": R.DIV_F32},
         {"x": ("int8", [4, 768], x)}, seed,
         "same inputs as shiftgelu_realistic with DIV = 2^31 (float32 behaviour)",
         "x0 = %d, DIV 2^31" % x0, alt=("DIV 2^31-1", {"div": R.DIV_CODE}))


@case("shiftgelu_allneg_x0m1")
def _(out, seed=302):
    rng = random.Random(seed)
    C = 32
    s = 0.6
    x0 = R.x0_gelu(s)
    assert x0 == -1
    rows = [[rng.randrange(-128, 0) for _ in range(C)], [-128] * C, [-1] * C,
            [rng.randrange(-128, 128) for _ in range(C)], [0] * C, [127] * (C // 2) + [-128] * (C // 2)]
    x = [v for r in rows for v in r]
    st = {}
    emit(out, "shiftgelu_allneg_x0m1", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                     "div": R.DIV_CODE},
         {"x": ("int8", [len(rows), C], x)}, seed,
         "s = 0.6f -> x0 = -1: all-negative rows make e^-xmax = 2^207 (saturate at DIV)",
         "x0 = -1; rows all negative / all -128 / all -1 / mixed / zeros / 127|-128",
         stats=st)
    assert st["max_e2_bits"] > 64


@case("shiftgelu_allneg_realistic")
def _(out, seed=303):
    rng = random.Random(seed)
    C = 64
    s = 0.05
    x0 = R.x0_gelu(s)
    rows = [[rng.randrange(-128, 0) for _ in range(C)],
            [quant(-abs(rng.gauss(0.5, 0.8)) - 0.05, s, 8) for _ in range(C)],
            [rng.randrange(-128, -100) for _ in range(C)]]
    x = [v for r in rows for v in r]
    assert max(x) < 0
    emit(out, "shiftgelu_allneg_realistic", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                          "div": R.DIV_CODE},
         {"x": ("int8", [3, C], x)}, seed,
         "tokens whose pre-GELU row is entirely negative, s = 0.05f -> x0 = %d" % x0,
         "x0 = %d; the e^-xmax term is large (positive shift argument)" % x0)


@case("shiftgelu_large_x0")
def _(out, seed=304):
    rng = random.Random(seed)
    s = 0.002
    x0 = R.x0_gelu(s)
    assert x0 <= -256
    x = _gelu_inputs(rng, 2, 128, s)
    x += [127] + [rng.randrange(-128, 128) for _ in range(127)]
    st = {}
    emit(out, "shiftgelu_large_x0", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                  "div": R.DIV_CODE},
         {"x": ("int8", [3, 128], x)}, seed,
         "s = 0.002f -> x0 = %d: e1 > 2^31 (int64), the sum clamp bites, sigmoid > 127" % x0,
         "x0 = %d; int16 output still" % x0, stats=st)
    assert st["max_e1_bits"] > 31 and st["clamped"] > 0 and st["max_sig"] > 127, st


@case("shiftgelu_huge_x0_i32")
def _(out, seed=305):
    rng = random.Random(seed)
    s = 0.0005
    x0 = R.x0_gelu(s)
    x = [127, -128, 0, 1, -1, 64] + [rng.randrange(-128, 128) for _ in range(58)]
    x += [rng.randrange(-128, 0) for _ in range(64)]
    st = {}
    y = emit(out, "shiftgelu_huge_x0_i32", "shiftgelu", {"x0": x0, "n": 23, "out_bits": 8,
                                                         "div": R.DIV_CODE},
             {"x": ("int8", [2, 64], x)}, seed,
             "s = 0.0005f -> x0 = %d: outputs exceed int16 (output dtype int32)" % x0,
             "x0 = %d; y up to %d" % (x0, 0), stats=st)
    assert not R.fits("int16", y)
    REPORT[-1] = REPORT[-1][:3] + ("x0 = %d; sigmoid up to %d, |y| up to %d: int32 output" % (
        x0, st["max_sig"], max(abs(v) for v in y)),)


# ------------------------------------------------------------------------------------------
# layernorm
# ------------------------------------------------------------------------------------------

@case("layernorm_c192_realistic")
def _(out, seed=401):
    rng = random.Random(seed)
    T, C = 4, 192
    x, bias_int, _ = _ln_realistic(rng, T, C)
    emit(out, "layernorm_c192_realistic", "layernorm",
         {"bias_int": bias_int, "sqrt_iters": 10, "sqrt_init": 65536, "div": R.DIV_CODE},
         {"x": ("int16", [T, C], x)}, seed,
         "deit-tiny norm1 on an int16 residual stream with outlier channels; bias_int from "
         "float32 beta/gamma as I-LayerNorm computes it",
         "C = 192, DIV 2^31-1")


@case("layernorm_c192_div2p31")
def _(out, seed=401):
    rng = random.Random(seed)
    T, C = 4, 192
    x, bias_int, _ = _ln_realistic(rng, T, C)
    # f = DIV // k changes with DIV only when k divides 2^31: add rows whose k is 2^6..2^12
    pw = [[1, -1] * (C // 2),                                   # var 192 -> k 64
          [37, -37] * (C // 2),                                 # var 262848 -> k 512
          [128, -128] * 32 + [0] * (C - 64),                    # var 2^20 -> k 1024
          [512, -512] * 32 + [0] * (C - 64)]                    # var 2^24 -> k 4096
    for r in pw:
        off = rng.randrange(-3000, 3000)
        x += [v + off for v in r]
    st = {}
    emit(out, "layernorm_c192_div2p31", "layernorm",
         {"bias_int": bias_int, "sqrt_iters": 10, "sqrt_init": 65536, "div": R.DIV_F32},
         {"x": ("int16", [T + len(pw), C], x)}, seed,
         "realistic rows as layernorm_c192_realistic plus rows whose Newton k is a power of "
         "two (64, 512, 1024, 4096), DIV = 2^31",
         "C = 192, DIV 2^31", stats=st, alt=("DIV 2^31-1", {"div": R.DIV_CODE}))
    assert [r["k"] for r in st["rows"][T:]] == [64, 512, 1024, 4096], st["rows"][T:]


@case("layernorm_c192_edges")
def _(out, seed=402):
    rng = random.Random(seed)
    C = 192
    rows = []
    rows.append([1234] * C)                                           # var 0 -> k = 64
    rows.append([rng.choice([-1, 0, 1]) for _ in range(C)])           # var < 2^8
    rows.append([rng.randrange(-12, 13) for _ in range(C)])           # var < 2^16
    r = [rng.randrange(-100, 100) for _ in range(C)]                  # mean tie +x.5, even/odd
    r[0] += 96 + 192 * 7 - sum(r)                                     # sum = 96 + 192*7 -> 7.5
    rows.append(r)
    r = [rng.randrange(-100, 100) for _ in range(C)]
    r[0] += -96 - 192 * 4 - sum(r)                                    # -4.5 -> -4
    rows.append(r)
    rows.append([32767] * (C // 2) + [-32768] * (C // 2))             # max spread
    rows.append([-32768] * (C - 1) + [32767])                         # one outlier
    rows.append([rng.randrange(-32768, 32768) for _ in range(C)])     # uniform full range
    x = [v for rr in rows for v in rr]
    gam = [rng.choice([1.0, -0.7, 0.003, -0.002, 0.4, 1.3]) for _ in range(C)]
    bet = [rng.choice([0.2, -0.25, 0.1, -0.1, 0.0]) for _ in range(C)]
    bias_int, _ = ln_bias_int(C, gam, bet)
    assert min(bias_int) < -2**31 and max(bias_int) > 2**31
    st = {}
    emit(out, "layernorm_c192_edges", "layernorm",
         {"bias_int": bias_int, "sqrt_iters": 10, "sqrt_init": 65536, "div": R.DIV_CODE},
         {"x": ("int16", [len(rows), C], x)}, seed,
         "rows: constant (var 0 -> k 64), |y|<=1 and <=12 (var < 2^16: Newton not converged), "
         "mean ties 7.5 -> 8 and -4.5 -> -4, max spread, single outlier, uniform; "
         "bias_int beyond +-2^31 (tiny |gamma|)",
         "C = 192; bias_int in [%d, %d]" % (min(bias_int), max(bias_int)), stats=st)
    rs = st["rows"]
    assert rs[0]["var"] == 0 and rs[0]["k"] == 64
    assert rs[1]["var"] < 2**16 and rs[1]["k"] > rs[1]["isqrt"] + 1
    assert rs[2]["var"] < 2**16 and rs[2]["k"] > rs[2]["isqrt"] + 1
    assert rs[3]["mean"] == 8 and rs[4]["mean"] == -4


@case("layernorm_c768_maxvar")
def _(out, seed=403):
    rng = random.Random(seed)
    C = 768
    rows = [[32767, -32768] * (C // 2), [32767] * (C // 2) + [-32768] * (C // 2),
            residual_rows(rng, 1, C, sigma=3000, outliers=6)]
    x = [v for rr in rows for v in rr]
    gam = [rng.gauss(1, 0.2) for _ in range(C)]
    bet = [rng.gauss(0, 0.2) for _ in range(C)]
    bias_int, _ = ln_bias_int(C, gam, bet)
    st = {}
    emit(out, "layernorm_c768_maxvar", "layernorm",
         {"bias_int": bias_int, "sqrt_iters": 10, "sqrt_init": 65536, "div": R.DIV_CODE},
         {"x": ("int16", [3, C], x)}, seed,
         "C = 768 (deit-base width): largest variance int16 allows (~2^39.6); var > 2^44 is "
         "not reachable with int16 inputs and C <= 768",
         "C = 768; rows at maximal variance + one realistic", stats=st)
    v = st["rows"][0]["var"]
    assert 2**39 < v < 2**40
    REPORT[-1] = REPORT[-1][:3] + (REPORT[-1][3] + " (var = %d = 2^%.2f, k = %d, isqrt = %d)" % (
        v, math.log2(v), st["rows"][0]["k"], st["rows"][0]["isqrt"]),)


@case("layernorm_c4_hand")
def _(out, seed=404):
    emit(out, "layernorm_c4_hand", "layernorm",
         {"bias_int": [0, 0, 0, 0], "sqrt_iters": 10, "sqrt_init": 65536, "div": R.DIV_CODE},
         {"x": ("int16", [2, 4], [1, 2, 3, 4, 7, 7, 7, 7])}, seed,
         "hand-derived: [1,2,3,4]: mean 2.5 -> 2, var 6, k 64, f 33554431",
         "expected [-16777216, 0, 16777215, 33554431] and a constant row -> 0")
