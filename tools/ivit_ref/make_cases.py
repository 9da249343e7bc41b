#!/usr/bin/env python3
"""Write intvit-vector-v1 cases for I-ViT's integer ops into vectors/ivit/<name>/.

The expected outputs come from the exact-integer path of ivit_ref.py (semantics S0). Every case
is also run through the literal float64 transcription of the PyTorch modules, and for ShiftGELU
through an int64-saturating variant; all paths must agree, except on the one case built to show
where binary64 cannot (`requant_ln_f64_trap`). vectors/ivit/README.md is regenerated too.

    python3 tools/ivit_ref/make_cases.py            # (re)write vectors/ivit
    python3 tools/ivit_ref/make_cases.py --out DIR  # write elsewhere (e.g. to diff)

Standard library only; deterministic (random.Random(seed) per case).
"""

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


# ------------------------------------------------------------------------------------------
# requant
# ------------------------------------------------------------------------------------------

def _qkv_linear(rng):
    T, K, N = 6, 192, 48
    x = gauss_ints(rng, T * K, 40, -128, 127)
    w = weight_rows(rng, N, K, heavy=True)
    b = gauss_ints(rng, N, 20000, -2**31, 2**31 - 1)
    acc = R.linear(x, [T, K], w, [N, K], b)
    s_x = R.f32(0.04)
    s_w = [R.f32(rng.uniform(0.002, 0.012)) for _ in range(N)]
    s_in = [R.f32(sw * s_x) for sw in s_w]
    s_out = calib_scale([a * s_in[i % N] for i, a in enumerate(acc)], 8, 0.9)
    m, e = requant_params_from_scales(s_in, s_out)
    return acc, [T, N], m, e


@case("requant_qkv_pc_half_even")
def _(out, seed=101):
    rng = random.Random(seed)
    acc, shape, m, e = _qkv_linear(rng)
    emit(out, "requant_qkv_pc_half_even", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int32", shape, acc)}, seed,
         "attn.qkv QuantLinear accumulator -> attn.qact1, per-channel (s_w[c]*s_x/s_out)",
         "int32 -> int8, per-channel (m,e) from batch_frexp of float32 scale ratios "
         "(e %d..%d), ~10%% saturating" % (min(e), max(e)))


@case("requant_qkv_pc_half_up")
def _(out, seed=101):
    rng = random.Random(seed)
    acc, shape, m, e = _qkv_linear(rng)
    emit(out, "requant_qkv_pc_half_up", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_up"},
         {"x": ("int32", shape, acc)}, seed,
         "same inputs as requant_qkv_pc_half_even, TVM UPWARD rounding",
         "as requant_qkv_pc_half_even with rounding half_up (no exact ties in realistic data)",
         alt=("half_even", {"rounding": "half_even"}))


def _av_product(rng):
    """attn (uint16 Shiftmax output) @ v (int8): the real inputs of matmul_2."""
    H, M, K, N = 3, 6, 24, 16
    s_att = R.f32(0.03)
    x0 = R.x0_softmax(s_att)
    logits = [quant(rng.gauss(0, 1.2) + (2.5 if rng.random() < 0.1 else 0), s_att, 8)
              for _ in range(H * M * K)]
    a = R.shiftmax(logits, [H * M, K], x0)
    v = gauss_ints(rng, H * K * N, 35, -128, 127)
    return a, [H, M, K], v, [H, K, N], x0


@case("requant_av_pt")
def _(out, seed=102):
    rng = random.Random(seed)
    a, ash, v, vsh, _ = _av_product(rng)
    z = R.matmul(a, ash, v, vsh)
    s_qkv = R.f32(0.045)
    s_in = R.f32(R.f32(1.0 / 2 ** 15) * s_qkv)     # softmax scale 2^-15 times s_v
    s_out = calib_scale([t * s_in for t in z], 8)
    m, e = R.dyadic_from_scales(s_in, s_out)
    emit(out, "requant_av_pt", "requant", {"m": m, "e": e, "out_bits": 8,
                                           "rounding": "half_even"},
         {"x": ("int32", ash[:-1] + vsh[-1:], z)}, seed,
         "attn@v accumulator (uint16 softmax x int8 v) -> attn.qact2, per tensor",
         "int32 [3,6,16] (3-D, channel = last axis) -> int8, per-tensor e=%d" % e)


def _tie_inputs(rng, T, ratios):
    """Per channel with ratio a/2^k (a odd): x*a/2^k is a tie iff x is an odd multiple of
    2^(k-1). About 80 % ties, the rest random; |x*ratio| stays inside int8."""
    x = []
    for _ in range(T):
        for r in ratios:
            num, den = r.as_integer_ratio()
            h = den // 2
            lim = int(126 / r)
            if rng.random() < 0.8 and h >= 1:
                jmax = max(0, (lim // h - 1) // 2)
                x.append((2 * rng.randrange(-jmax - 1, jmax + 1) + 1) * h)
            else:
                x.append(rng.randrange(-lim, lim + 1))
    return x


TIE_RATIOS = [0.5, 0.5, 0.25, 0.125, 1.5, 0.375, 0.5, 0.0625, 2.5, 0.75]


@case("requant_ties_half_even")
def _(out, seed=103):
    rng = random.Random(seed)
    x = _tie_inputs(rng, 6, TIE_RATIOS)
    me = [R.batch_frexp(r) for r in TIE_RATIOS]
    emit(out, "requant_ties_half_even", "requant",
         {"m": [a for a, _ in me], "e": [b for _, b in me], "out_bits": 8,
          "rounding": "half_even"},
         {"x": ("int32", [6, len(TIE_RATIOS)], x)}, seed,
         "tie-heavy: per-channel ratios %s exactly; ~80%% of the products are ties" % TIE_RATIOS,
         "int32 -> int8; most products are exact ties; round half to even")


@case("requant_ties_half_up")
def _(out, seed=103):
    rng = random.Random(seed)
    x = _tie_inputs(rng, 6, TIE_RATIOS)
    me = [R.batch_frexp(r) for r in TIE_RATIOS]
    emit(out, "requant_ties_half_up", "requant",
         {"m": [a for a, _ in me], "e": [b for _, b in me], "out_bits": 8, "rounding": "half_up"},
         {"x": ("int32", [6, len(TIE_RATIOS)], x)}, seed,
         "tie-heavy: same inputs as requant_ties_half_even, TVM UPWARD",
         "same inputs; ties go towards +inf (-2.5 -> -2, 2.5 -> 3)",
         alt=("half_even", {"rounding": "half_even"}))


def _ln_realistic(rng, T, C, neg_gamma=0.1):
    x = residual_rows(rng, T, C)
    gam = []
    for _ in range(C):
        g = max(0.05, rng.gauss(1.0, 0.3))
        gam.append(-g if rng.random() < neg_gamma else g)
    bet = [rng.gauss(0.0, 0.3) for _ in range(C)]
    bias_int, s_ln = ln_bias_int(C, gam, bet)
    return x, bias_int, s_ln


@case("requant_ln_negm_pc")
def _(out, seed=104):
    rng = random.Random(seed)
    T, C = 3, 192
    x, bias_int, s_ln = _ln_realistic(rng, T, C, neg_gamma=0.15)
    z = R.layernorm(x, [T, C], bias_int)
    s_out = calib_scale([t * s_ln[i % C] for i, t in enumerate(z)], 8)
    m, e = requant_params_from_scales(s_ln, s_out)
    assert any(v < 0 for v in m)
    assert R.fits("int32", z)
    emit(out, "requant_ln_negm_pc", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int32", [T, C], z)}, seed,
         "norm1 I-LayerNorm output -> qact1, per-channel, gamma<0 on some channels",
         "int32 LN outputs -> int8, per-channel e %d..%d, %d negative m; products z*m "
         "exceed 2^53 here (float64 still agrees: no near-ties)" % (
             min(e), max(e), sum(v < 0 for v in m)))


@case("requant_ln_i64")
def _(out, seed=105):
    rng = random.Random(seed)
    T, C = 2, 16
    x = residual_rows(rng, T, C, outliers=1)
    gam = [rng.choice([0.015, -0.015, 0.02, 1.0, -0.9, 0.5]) for _ in range(C)]
    bet = [rng.choice([0.1, -0.12, 0.05, 0.0]) for _ in range(C)]
    bias_int, s_ln = ln_bias_int(C, gam, bet)
    z = R.layernorm(x, [T, C], bias_int)
    assert not R.fits("int32", z)
    s_out = calib_scale([t * s_ln[i % C] for i, t in enumerate(z)], 8)
    m, e = requant_params_from_scales(s_ln, s_out)
    emit(out, "requant_ln_i64", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int64", [T, C], z)}, seed,
         "I-LayerNorm output beyond int32 (tiny gamma => bias_int > 2^31) -> int8",
         "int64 input (|z| up to %.2e), per-channel e %d..%d, |z*m| < 2^63" % (
             max(abs(v) for v in z), min(e), max(e)))


@case("requant_m2p31_extremes")
def _(out, seed=106):
    rng = random.Random(seed)
    C = 8
    m = [2**31, 2**31, -2**31, 2**31, 2**30, 2**31 - 1, -2**31, -2**30]
    e = [31, 32, 32, 63, 31, 40, 63, 62]
    rows = [[2**31 - 1] * C, [-2**31] * C, [0] * C, [1] * C, [-1] * C,
            [rng.randrange(-2**31, 2**31) | 1 for _ in range(C)],
            [rng.randrange(-40000, 40000) * 2 + 1 for _ in range(C)]]
    x = [v for r in rows for v in r]
    emit(out, "requant_m2p31_extremes", "requant",
         {"m": m, "e": e, "out_bits": 16, "rounding": "half_even"},
         {"x": ("int32", [len(rows), C], x)}, seed,
         "m = +-2^31 exactly (kept as in HAWQ), m = 2^31-1, e up to 63, int32 extremes",
         "int32 -> int16; e=63 with z=m=-2^31 is the tie 0.5 -> 0; saturation both ways")


@case("requant_left_shift_sat")
def _(out, seed=107):
    rng = random.Random(seed)
    C = 6
    ratios = [2.0 ** 30, 2.0 ** 32 * 0.75, 2.0 ** 33, 2.0 ** 30 * 1.1, 2.0 ** 29 * 1.5, 2.0 ** 28]
    me = [R.batch_frexp(r) for r in ratios]
    x = [0, 1, -1, 2, -2, 3] + [rng.randrange(-3, 4) for _ in range(3 * C)] + \
        [32767, -32768, 100, -100, 7, -7]
    emit(out, "requant_left_shift_sat", "requant",
         {"m": [a for a, _ in me], "e": [b for _, b in me], "out_bits": 16,
          "rounding": "half_even"},
         {"x": ("int16", [5, C], x)}, seed,
         "ratios >= 2^28: e <= 0 is a left shift (e = %s), then saturation" % (
             [b for _, b in me]),
         "int16 -> int16, e in {%s}, almost every nonzero input saturates" % (
             ", ".join(str(b) for _, b in me)))


def _residual_inputs(rng, T, C):
    x = residual_rows(rng, T, C, sigma=900, outliers=2)      # attn/mlp branch (qact3 output)
    res = residual_rows(rng, T, C, sigma=2500, outliers=3)   # block input x_1
    s_x, s_res = R.f32(0.0021), R.f32(0.0033)
    s_out = calib_scale([a * s_x + b * s_res for a, b in zip(x, res)], 16)
    return x, res, s_x, s_res, s_out


@case("requant_residual_i16_half_even")
def _(out, seed=108):
    rng = random.Random(seed)
    T, C = 6, 48
    x, res, s_x, s_res, s_out = _residual_inputs(rng, T, C)
    m, e = R.dyadic_from_scales(s_x, s_out)
    mr, er = R.dyadic_from_scales(s_res, s_out)
    emit(out, "requant_residual_i16_half_even", "requant",
         {"m": m, "e": e, "m_res": mr, "e_res": er, "out_bits": 16, "rounding": "half_even"},
         {"x": ("int16", [T, C], x), "res": ("int16", [T, C], res)}, seed,
         "block qact2: residual add of two int16 branches, each its own (m,e), 16-bit out",
         "int16 + int16 -> int16, per-tensor e=%d, e_res=%d" % (e, er))


def _residual_ties(rng):
    T, C = 4, 8
    x = [rng.randrange(-16000, 16000) * 2 + 1 for _ in range(T * C)]
    res = [rng.randrange(-16000, 16000) * 2 + 1 for _ in range(T * C)]
    x[:4] = [1, 3, -1, -3]
    res[:4] = [1, 3, -1, -3]
    return x, res


@case("requant_residual_ties_half_even")
def _(out, seed=109):
    rng = random.Random(seed)
    x, res = _residual_ties(rng)
    emit(out, "requant_residual_ties_half_even", "requant",
         {"m": 1 << 30, "e": 31, "m_res": 3 << 29, "e_res": 31, "out_bits": 16,
          "rounding": "half_even"},
         {"x": ("int16", [4, 8], x), "res": ("int16", [4, 8], res)}, seed,
         "residual with ratios 1/2 and 3/4 on odd inputs: each branch rounds its own tie",
         "int16 + int16 -> int16; round(x/2) + round(3*res/4), not round(sum)")


@case("requant_residual_ties_half_up")
def _(out, seed=109):
    rng = random.Random(seed)
    x, res = _residual_ties(rng)
    emit(out, "requant_residual_ties_half_up", "requant",
         {"m": 1 << 30, "e": 31, "m_res": 3 << 29, "e_res": 31, "out_bits": 16,
          "rounding": "half_up"},
         {"x": ("int16", [4, 8], x), "res": ("int16", [4, 8], res)}, seed,
         "same as requant_residual_ties_half_even with TVM UPWARD",
         "same inputs, rounding half_up", alt=("half_even", {"rounding": "half_even"}))


@case("requant_residual_pc_i32")
def _(out, seed=110):
    rng = random.Random(seed)
    T, C = 5, 12
    x = gauss_ints(rng, T * C, 60000, -2**31, 2**31 - 1)
    res = gauss_ints(rng, T * C, 90000, -2**31, 2**31 - 1)
    x[:3] = [2**31 - 1, -2**31, 0]
    res[:3] = [2**31 - 1, -2**31, -2**31]
    s_x = [R.f32(rng.uniform(1e-5, 4e-5)) for _ in range(C)]
    s_r = [R.f32(rng.uniform(1e-5, 4e-5)) for _ in range(C)]
    s_out = R.f32(0.03)
    m, e = requant_params_from_scales(s_x, s_out)
    mr, er = requant_params_from_scales(s_r, s_out)
    emit(out, "requant_residual_pc_i32", "requant",
         {"m": m, "e": e, "m_res": mr, "e_res": er, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int32", [T, C], x), "res": ("int32", [T, C], res)}, seed,
         "residual form with per-channel m/e AND per-channel m_res/e_res, int32 extremes",
         "int32 + int32 -> int8, both branches per-channel (contract generality)")


@case("requant_gelu_i16_pt")
def _(out, seed=111):
    rng = random.Random(seed)
    T, C = 4, 96
    s_g = R.f32(0.045)
    x0 = R.x0_gelu(s_g)
    xin = [quant(rng.gauss(-0.2, 1.1), s_g, 8) for _ in range(T * C)]
    g = R.shiftgelu(xin, [T, C], x0)
    s_in = R.f32(s_g * R.f32(1.0 / 2 ** 7))
    s_out = calib_scale([v * s_in for v in g], 8)
    m, e = R.dyadic_from_scales(s_in, s_out)
    emit(out, "requant_gelu_i16_pt", "requant", {"m": m, "e": e, "out_bits": 8,
                                                "rounding": "half_even"},
         {"x": ("int16", [T, C], g)}, seed,
         "mlp.act ShiftGELU output (scale s_g/2^7) -> mlp.qact1, per tensor",
         "int16 -> int8, per-tensor e=%d" % e)


@case("requant_pe_i32_i16")
def _(out, seed=112):
    rng = random.Random(seed)
    NP, C = 6, 24
    z = gauss_ints(rng, NP * C, 150000, -2**31, 2**31 - 1)
    s_in_img = R.f32(0.0172)
    s_w = [R.f32(rng.uniform(0.0005, 0.004)) for _ in range(C)]
    s_in = [R.f32(w * s_in_img) for w in s_w]
    s_pe = calib_scale([t * s_in[i % C] for i, t in enumerate(z)], 16)
    m, e = requant_params_from_scales(s_in, s_pe)
    emit(out, "requant_pe_i32_i16", "requant",
         {"m": m, "e": e, "out_bits": 16, "rounding": "half_even"},
         {"x": ("int32", [NP, C], z)}, seed,
         "patch_embed conv accumulator -> patch_embed.qact (16-bit), per-channel",
         "int32 -> int16, per-channel e %d..%d" % (min(e), max(e)))


@case("requant_ln_f64_trap")
def _(out, seed=113):
    rng = random.Random(seed)
    traps = R.find_f64_requant_traps(rng, 8, 52, (1 << 25, 1 << 29))
    traps += [(-z, m, e) for z, m, e in R.find_f64_requant_traps(rng, 4, 53, (1 << 25, 1 << 29))]
    C = len(traps)
    m = [t[1] for t in traps]
    e = [t[2] for t in traps]
    for i in range(0, C, 3):                     # flip some m to negative (gamma < 0):
        m[i] = -m[i]                             # the trap is symmetric under sign flips
    row0 = [t[0] for t in traps]
    row1 = [int(rng.gauss(0, 1.5) * 2 ** 30 / math.sqrt(192)) for _ in range(C)]
    row2 = [int(rng.gauss(0, 1.0) * 2 ** 30 / math.sqrt(192)) for _ in range(C)]
    for z, mm, ee in zip(row0, m, e):
        assert R.f64_requant_differs(z, mm, ee)
    emit(out, "requant_ln_f64_trap", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int32", [3, C], row0 + row1 + row2)}, seed,
         "constructed: LN-output-sized z and m with z*m (> 2^53) within half a binary64 ulp "
         "of a rounding tie; expected = exact S0",
         "row 0: all %d values differ between exact S0 and torch.round(z.double()*m.double()/"
         "2**e); rows 1-2: random LN-like values (agree)" % C, expect_f64_divergence=True)


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


# ------------------------------------------------------------------------------------------
# linear / matmul / conv_patch
# ------------------------------------------------------------------------------------------

@case("linear_qkv_realistic")
def _(out, seed=501):
    rng = random.Random(seed)
    T, K, N = 5, 192, 24
    x = gauss_ints(rng, T * K, 35, -128, 127)
    w = weight_rows(rng, N, K, heavy=True)
    b = gauss_ints(rng, N, 30000, -2**31, 2**31 - 1)
    emit(out, "linear_qkv_realistic", "linear", {},
         {"x": ("int8", [T, K], x), "w": ("int8", [N, K], w), "b": ("int32", [N], b)}, seed,
         "attn.qkv-like QuantLinear integer core (per-channel int8 weights, int32 bias)",
         "K = 192")


@case("linear_extremes")
def _(out, seed=502):
    rng = random.Random(seed)
    T, K, N = 4, 768, 5
    x = [-128] * K + [127] * K + [(-128 if i % 2 else 127) for i in range(K)] + \
        [rng.randrange(-128, 128) for _ in range(K)]
    w = [-128] * K + [127] * K + [(127 if i % 2 else -128) for i in range(K)] + \
        [rng.randrange(-128, 128) for _ in range(K)] + [0] * K
    big = 768 * 16384
    b = [2**31 - 1 - big, -2**31 + big, 0, -12345, 2**31 - 1]
    emit(out, "linear_extremes", "linear", {},
         {"x": ("int8", [T, K], x), "w": ("int8", [N, K], w), "b": ("int32", [N], b)}, seed,
         "(-128)*(-128) summed over K = 768 (= 2^23.6) with biases at the int32 edges",
         "K = 768; the sums reach 2^31-1 and -2^31 exactly without overflow")


@case("linear_fc2_k3072")
def _(out, seed=503):
    rng = random.Random(seed)
    T, K, N = 2, 3072, 3
    x = [max(0, v) if rng.random() < 0.7 else v for v in gauss_ints(rng, T * K, 30, -128, 127)]
    w = weight_rows(rng, N, K)
    w[:K] = [-128] * K
    x[:K] = [-128] * K
    b = gauss_ints(rng, N, 100000, -2**31, 2**31 - 1)
    emit(out, "linear_fc2_k3072", "linear", {},
         {"x": ("int8", [T, K], x), "w": ("int8", [N, K], w), "b": ("int32", [N], b)}, seed,
         "deit-base fc2-like: K = 3072 (accumulator up to 3072*16384 = 2^25.6)",
         "K = 3072, one all -128 x all -128 dot product")


@case("matmul_qk_i8")
def _(out, seed=601):
    rng = random.Random(seed)
    H, M, K, N = 3, 8, 64, 10
    a = gauss_ints(rng, H * M * K, 40, -128, 127)
    b = gauss_ints(rng, H * K * N, 40, -128, 127)
    a[:K] = [-128] * K
    b[0:K * N:N] = [-128] * K
    emit(out, "matmul_qk_i8", "matmul", {},
         {"a": ("int8", [H, M, K], a), "b": ("int8", [H, K, N], b)}, seed,
         "q @ k^T per head (head_dim 64), batch dim = heads",
         "int8 x int8, batched [3,8,64] @ [3,64,10]; one -128*-128 dot product")


@case("matmul_av_u16")
def _(out, seed=602):
    rng = random.Random(seed)
    a, ash, v, vsh, x0 = _av_product(rng)
    emit(out, "matmul_av_u16", "matmul", {},
         {"a": ("uint16", ash, a), "b": ("int8", vsh, v)}, seed,
         "attn @ v with a = real Shiftmax outputs (x0 = %d, uint16) and int8 v" % x0,
         "uint16 x int8, batched [3,6,24] @ [3,24,16]")


@case("matmul_u16_extremes")
def _(out, seed=603):
    rng = random.Random(seed)
    M, K, N = 4, 8, 5
    a = [32768] * K + [32767] * K + [0] * K + [rng.randrange(0, 32769) for _ in range(K)]
    b = [-128] * (K * N)
    for i in range(K):
        b[i * N + 1] = 127
        b[i * N + 2] = rng.randrange(-128, 128)
        b[i * N + 3] = (-128, 127)[i % 2]
    emit(out, "matmul_u16_extremes", "matmul", {},
         {"a": ("uint16", [M, K], a), "b": ("int8", [K, N], b)}, seed,
         "2-D (no batch dims), uint16 up to 32768 (DIV = 2^31 softmax) times int8 extremes",
         "[4,8] @ [8,5]; 32768 * -128 * 8 = -2^25")


@case("conv_patch_p16")
def _(out, seed=701):
    rng = random.Random(seed)
    Cin, H, W, Cout, P = 3, 32, 32, 8, 16
    s_img = R.f32(2.64 / 127)
    x = [quant(rng.gauss(0, 1.0), s_img, 8) for _ in range(Cin * H * W)]
    w = weight_rows(rng, Cout, Cin * P * P)
    b = gauss_ints(rng, Cout, 50000, -2**31, 2**31 - 1)
    emit(out, "conv_patch_p16", "conv_patch", {"patch": P},
         {"x": ("int8", [Cin, H, W], x), "w": ("int8", [Cout, Cin, P, P], w),
          "b": ("int32", [Cout], b)}, seed,
         "patch_embed.proj: 16x16 stride-16 conv on a 32x32 RGB crop (4 patches)",
         "P = 16, 2x2 patches, token-major output")


@case("conv_patch_p4_rect")
def _(out, seed=702):
    rng = random.Random(seed)
    Cin, H, W, Cout, P = 3, 8, 12, 5, 4
    x = [rng.randrange(-128, 128) for _ in range(Cin * H * W)]
    x[:W] = [-128] * W
    w = [rng.randrange(-128, 128) for _ in range(Cout * Cin * P * P)]
    w[:Cin * P * P] = [-128] * (Cin * P * P)
    for ci in range(Cin):                 # patch (0,0) of every channel all -128
        for ky in range(P):
            for kx in range(P):
                x[(ci * H + ky) * W + kx] = -128
    b = [2**31 - 1 - 48 * 16384, 0, -7, 123456, -2**31 + 48 * 16384]
    emit(out, "conv_patch_p4_rect", "conv_patch", {"patch": P},
         {"x": ("int8", [Cin, H, W], x), "w": ("int8", [Cout, Cin, P, P], w),
          "b": ("int32", [Cout], b)}, seed,
         "non-square image (2 x 3 patches) to pin p = py*GW + px; -128*-128 patch",
         "P = 4, H = 8, W = 12; output patch 0 / channel 0 = 2^31-1 exactly")


@case("conv_patch_p4_ragged")
def _(out, seed=703):
    rng = random.Random(seed)
    Cin, H, W, Cout, P = 3, 9, 13, 4, 4
    x = [rng.randrange(-128, 128) for _ in range(Cin * H * W)]
    w = [rng.randrange(-128, 128) for _ in range(Cout * Cin * P * P)]
    b = gauss_ints(rng, Cout, 1000, -2**31, 2**31 - 1)
    emit(out, "conv_patch_p4_ragged", "conv_patch", {"patch": P},
         {"x": ("int8", [Cin, H, W], x), "w": ("int8", [Cout, Cin, P, P], w),
          "b": ("int32", [Cout], b)}, seed,
         "H, W not multiples of P: Conv2d ignores the last row / column (GH = 2, GW = 3)",
         "P = 4, H = 9, W = 13 (a reader may reject this; ViT never has it)")


# ------------------------------------------------------------------------------------------

README_HEAD = """# I-ViT op test vectors (independent Python reference)

These `intvit-vector-v1` cases were written by `tools/ivit_ref/make_cases.py`, a pure-Python
(standard library only) re-implementation of I-ViT's integer modules in `tools/ivit_ref/ivit_ref.py`.
It was written from `ARITHMETIC.md` and I-ViT's / HAWQ's Python source, independently of the C++
golden model, so that `intvit op check vectors/ivit/<case>` is a cross-check between two
implementations.

The expected outputs are the **exact-integer semantics S0**. Each case was also run through a
line-by-line float64 transcription of the PyTorch module (`f64=True` paths in `ivit_ref.py`), and
ShiftGELU also through an int64-saturating variant. All of them agree on every case except the one
case built to make them differ (see below).

## Regenerate and check

```
python3 tools/ivit_ref/ivit_ref.py --selftest        # hand-derived values, Fraction cross-checks
python3 tools/ivit_ref/make_cases.py                 # rewrite vectors/ivit (deterministic)
python3 tools/ivit_ref/ivit_ref.py --verify vectors/ivit   # re-read manifests + hex, recompute
```

Generation takes a few seconds. Each case uses `random.Random(meta.seed)`. Outputs with more
than %(inline)d values are in `y.hex`, one value per line, lowercase two's complement of the
dtype width, without `0x`. All other tensors are inline and flat row-major.

## Conventions used

- `requant`: `y = clamp(round(x*m / 2^e) [+ round(res*m_res / 2^e_res)])`. Each branch is rounded
  on its own; `e <= 0` is a left shift `x*m << -e`. `m`, `e` (and `m_res`, `e_res`) are scalars or
  lists over the last axis. Realistic (m, e) come from `batch_frexp(double(s_in_f32) /
  double(s_out_f32))`.
- `shiftmax`: `x0 = floor(RN32(-1/s))` derived in float32 (s = 0.01f gives -100). The sum is
  clamped at `div`, and `div` is also the dividend. The output is `(e*f) >> (32 - out_bits)`.
- `shiftgelu`: `x0 = floor(RN32(-1/RN32(s*RN32(1.702))))`. e^-xmax is computed exactly (Python
  ints); an int64 implementation may saturate it at `div`, with the same result.
- `layernorm`: the mean is rounded half to even, then 10 Newton steps from 65536, `f = div // k`,
  `y = ((x-mean)*f >> 1) + bias_int`. The output is int64. `bias_int` was computed as I-LayerNorm
  does it, in float32 (`floor(RN32(RN32(beta/gamma) / RN32(sqrt(C)/2^30)))`).
- `conv_patch`: stride = kernel = P, no padding, output `[GH*GW, Cout]` with `p = py*GW + px`.

## Cases

| case | op | tensors | what it covers |
|---|---|---|---|
"""

README_TAIL = """
## Float64 module versus exact integers (finding)

I checked every operation for places where running I-ViT's PyTorch modules on float64 tensors
(what ARITHMETIC.md calls S0) could differ from exact integer arithmetic.

- **Shiftmax, ShiftGELU, I-LayerNorm, Linear, MatMul, Conv.** The two never differ for inputs
  in the documented ranges. Every value the float64 code forms is an integer or half-integer
  below 2^53, or a power-of-two multiple of one. ShiftGELU's e^-xmax can reach 2^207, but it is
  a small integer times a power of two, and it is then clamped. So the sums, products and
  `/ 2**k` steps are exact.
  - The divisions `floor(a / b)` that follow (`(2**31-1)/sum`, `(2**31-1)/k`, `var/k`,
    `x/x0`, `sum/C`) also equal exact floor division, or exact round-half-even for the
    LayerNorm mean. The reason: when a/b is not an integer, it is at least 1/b away from one.
    The binary64 rounding error is at most (a/b)·2^-53, which is smaller than 1/b whenever
    a < 2^53.
- **fixedpoint_mul (requant) can differ.** PyTorch computes `torch.round(z.double() *
  m.double() / 2.0**e)`. The product z·m is rounded to binary64 before the division by 2^e.
  Once |z·m| > 2^53 that loses up to log2|z·m| - 53 bits.
  - If the exact z·m lies within half a binary64 ulp of a rounding tie (k + 1/2)·2^e, the
    product rounds onto the tie. Round-half-even then picks the even neighbour, while the exact
    value rounds to the other neighbour. The two answers differ by 1.
  - This region is realistic. In I-LayerNorm → QuantAct(8), the input z is about 2^26–2^29,
    m about 2^30–2^31 and e about 50–55, so z·m is routinely 2^56–2^59. The ulp there is 2^4–2^6,
    so the chance per element is about 2^-46. Random data never hits it.
  - `requant_ln_f64_trap` hits it on purpose. Its row 0 holds (z, m, e) triples that I built by
    factoring z·m = (2K+1)·2^(e-1) ± d. On every value in that row the float64 transcription
    differs by 1 from S0
    (%(trap)s). The expected output in the case is the exact S0 value.
  - When it can happen: a single-branch requant whose result is not saturated has
    |z·m| < 2^(e+b-1), where b = out_bits. So binary64 is exact whenever e <= 54 - b.
    Saturated results clamp to the same value either way, because rounding is monotonic. The
    hazard therefore needs e >= 47 for int8 outputs, or e >= 39 for int16 outputs.
    - Linear/MatMul → int8 (e ≈ 40–46), GELU → int8 (e ≈ 37), the 16-bit residual (e ≈ 30–31,
      int16 inputs) and patch-embed → int16 (e ≈ 34–36) are all safe.
    - I-LayerNorm → int8 (e ≈ 50–55) is the exposed one.
  - TVM's UPWARD rounding is computed in int64, so this hazard does not apply to it.
- **x0 derivation (not a float64-versus-integer issue, but related).** A float64 run derives
  x0 from the float32 scale as -101 for s = 0.01f. float32 gives -100. These cases carry x0 as
  an integer parameter, taken from the float32 derivation the code performs.

## Edges that cannot be reached (recorded, not generated)

- **m = 2^31 from real scales.** batch_frexp gives m = 2^31 only when the ratio lies within
  2^-32 (relative) of a power of two without being equal to it. A ratio of two float32 scales
  is either exactly a power of two or at least about 2^-24 away from one. So `m = 2^31` appears
  only in hand-made cases such as `requant_m2p31_extremes`.
- **LayerNorm with var > 2^44 (the unconverged Newton region at the top).** With int16
  inputs and C <= 768 the variance is at most about C·2^30 = 2^39.6, and there the 10-step Newton
  has converged. The reachable unconverged region is var < 2^18: small-variance rows, shown in
  `layernorm_c192_edges`. The selftest checks non-convergence at var = 2^50 directly.
"""


def write_readme(out_root):
    rows = "".join("| `%s` | %s | %s | %s |\n" % r for r in REPORT)
    trap = "; ".join("%s: %d of %d outputs" % d for d in DIVERGENCES)
    with open(os.path.join(out_root, "README.md"), "w") as fh:
        fh.write(README_HEAD % {"inline": INLINE_MAX} + rows + README_TAIL % {"trap": trap})


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_root = os.path.normpath(os.path.join(here, "..", "..", "vectors", "ivit"))
    if len(argv) >= 3 and argv[1] == "--out":
        out_root = argv[2]
    os.makedirs(out_root, exist_ok=True)
    names = {n for n, _ in CASES}
    assert len(names) == len(CASES), "duplicate case names"
    for entry in os.listdir(out_root):          # drop cases this script no longer makes
        p = os.path.join(out_root, entry)
        if os.path.isdir(p) and entry not in names and \
                os.path.exists(os.path.join(p, "manifest.json")):
            with open(os.path.join(p, "manifest.json")) as fh:
                if GENERATOR in fh.read():
                    shutil.rmtree(p)
    for name, fn in CASES:
        fn(out_root)
    write_readme(out_root)
    ok = R.verify_dir(out_root)
    print("wrote %d cases to %s; float64 divergences: %s" % (len(CASES), out_root, DIVERGENCES))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
