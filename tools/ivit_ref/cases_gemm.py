"""The committed linear, matmul and conv_patch cases of vectors/ivit (registered with @case)."""

import random

import ivit_ref as R
from case_writer import *  # noqa: F401,F403
from cases_requant import _av_product  # the requant attn·V cases use the same product


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
