"""The committed requant cases of vectors/ivit (registered with @case)."""

import math
import random

import f64_traps as F
import ivit_ref as R
from case_writer import *  # noqa: F401,F403


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
    traps = F.find_f64_requant_traps(rng, 8, 52, (1 << 25, 1 << 29))
    traps += [(-z, m, e) for z, m, e in F.find_f64_requant_traps(rng, 4, 53, (1 << 25, 1 << 29))]
    C = len(traps)
    m = [t[1] for t in traps]
    e = [t[2] for t in traps]
    for i in range(0, C, 3):                     # flip some m to negative (gamma < 0):
        m[i] = -m[i]                             # the trap is symmetric under sign flips
    row0 = [t[0] for t in traps]
    row1 = [int(rng.gauss(0, 1.5) * 2 ** 30 / math.sqrt(192)) for _ in range(C)]
    row2 = [int(rng.gauss(0, 1.0) * 2 ** 30 / math.sqrt(192)) for _ in range(C)]
    for z, mm, ee in zip(row0, m, e):
        assert F.f64_requant_differs(z, mm, ee)
    emit(out, "requant_ln_f64_trap", "requant",
         {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
         {"x": ("int32", [3, C], row0 + row1 + row2)}, seed,
         "constructed: LN-output-sized z and m with z*m (> 2^53) within half a binary64 ulp "
         "of a rounding tie; expected = exact S0",
         "row 0: all %d values differ between exact S0 and torch.round(z.double()*m.double()/"
         "2**e); rows 1-2: random LN-like values (agree)" % C, expect_f64_divergence=True)
