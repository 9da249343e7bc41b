// The AVX-512 requant kernel: 8 int64 lanes per step, exact.
//
// Why it is exact. For an input |x| <= 2^31 (int16/int32 always; int64 when the 8 lanes fit
// int32) and |m| <= 2^31 after the (2^30, e - 1) rewrite, the product p = x * m satisfies
// |p| <= 2^62, so vpmuldq computes it exactly in an int64 lane. With e in [1, 62]:
//   half-even: round(p / 2^e) = (p + (2^(e-1) - 1) + ((p >> e) & 1)) >> e
//   half-up:   round(p / 2^e) = (p + 2^(e-1)) >> e
// where >> is the arithmetic (floor) shift. Proof (half-even): write p = q * 2^e + r with
// q = floor(p / 2^e) and r in [0, 2^e); the sum is q * 2^e + (r + 2^(e-1) - 1 + (q & 1)), and the
// bracket is >= 2^e exactly when r > 2^(e-1), or r == 2^(e-1) and q is odd: the half-even rule.
// (q & 1 is the parity of q in two's complement, also for negative q.) No add overflows:
// |p| + 2^61 < 2^63. Each branch is then within 2^61 + 1, so the residual sum cannot overflow,
// which is why the reference's SaturatingAdd never saturates here. The clamp to out_bits follows
// and the narrowing store truncates values already in range.
#include <immintrin.h>

#include "model/arith/saturate.h"
#include "model/ops/requant_kernels.h"

namespace intvit::model::requant_detail {
namespace {

#define INTVIT_REQUANT_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))

// All 8 lanes. The intrinsics below are the zero-masked forms (_mm512_maskz_*) with this mask,
// which equal the plain forms lane for lane; the plain ones trip GCC 12's -Wmaybe-uninitialized
// through the header's "undefined" pass-through vector (docs/gemm.md, compiler notes).
constexpr __mmask8 kAll = 0xff;

// Loads 8 (or `mask` of 8) consecutive values, sign-extended to int64 lanes.
// _mm512_cvtepi16_epi64 / _mm512_cvtepi32_epi64: lane i = sign-extended element i.
// _mm*_maskz_loadu_*: element i loaded when mask bit i is set, else 0; masked-off elements are
// not read (no fault past the end).
INTVIT_REQUANT_AVX512 inline __m512i Load8(const std::int16_t* p, __mmask8 mask) {
  return _mm512_maskz_cvtepi16_epi64(kAll, _mm_maskz_loadu_epi16(mask, p));
}
INTVIT_REQUANT_AVX512 inline __m512i Load8(const std::int32_t* p, __mmask8 mask) {
  return _mm512_maskz_cvtepi32_epi64(kAll, _mm256_maskz_loadu_epi32(mask, p));
}
INTVIT_REQUANT_AVX512 inline __m512i Load8(const std::int64_t* p, __mmask8 mask) {
  return _mm512_maskz_loadu_epi64(mask, p);
}

// Mask of the lanes whose int64 value fits int32: _mm512_cvtepi64_epi32 (vpmovqd) truncates each
// lane to its low 32 bits, _mm512_cvtepi32_epi64 sign-extends back; equal iff the value fits.
INTVIT_REQUANT_AVX512 inline __mmask8 FitsInt32(__m512i v) {
  return _mm512_cmpeq_epi64_mask(
      _mm512_maskz_cvtepi32_epi64(kAll, _mm512_maskz_cvtepi64_epi32(kAll, v)), v);
}

// Stores the low 8 or 16 bits of the lanes selected by `mask` (values already clamped to the
// output range, so the truncation of vpmovqb / vpmovqw is exact).
INTVIT_REQUANT_AVX512 inline void Store8(std::int8_t* p, __mmask8 mask, __m512i v) {
  _mm512_mask_cvtepi64_storeu_epi8(p, mask, v);
}
INTVIT_REQUANT_AVX512 inline void Store8(std::int16_t* p, __mmask8 mask, __m512i v) {
  _mm512_mask_cvtepi64_storeu_epi16(p, mask, v);
}

// round(x * m / 2^e) per lane with the rounding of kHalfEven, for x and m whose low 32 bits hold
// their value (see the file comment for the proof).
// _mm512_mul_epi32 (vpmuldq): lane i = (int64) low32s(x_i) * (int64) low32s(m_i), exact.
// _mm512_srav_epi64 (vpsravq): lane i = x_i >> e_i, arithmetic (floor), e_i in [1, 62].
// _mm512_add_epi64 / _mm512_and_si512: lane-wise wrapping add / bitwise and (no wrap occurs).
template <bool kHalfEven>
INTVIT_REQUANT_AVX512 inline __m512i DyadicLanes(__m512i x, __m512i m, __m512i e, __m512i add) {
  const __m512i p = _mm512_maskz_mul_epi32(kAll, x, m);
  __m512i t = _mm512_add_epi64(p, add);
  if constexpr (kHalfEven) {
    t = _mm512_add_epi64(t, _mm512_and_si512(_mm512_maskz_srav_epi64(kAll, p, e), _mm512_set1_epi64(1)));
  }
  return _mm512_maskz_srav_epi64(kAll, t, e);
}

// The scalar formula for one element: what RequantRows in requant.cc computes (128-bit exact).
template <bool kHalfEven>
inline std::int64_t ScalarElement(std::int64_t x, Dyadic d, bool has_res, std::int64_t r,
                                  Dyadic dr, int out_bits) {
  auto mul = [](std::int64_t v, Dyadic dd) {
    return kHalfEven ? DyadicMultiplyHalfEven(v, dd) : DyadicMultiplyHalfUp(v, dd);
  };
  std::int64_t v = mul(x, d);
  if (has_res) v = SaturatingAdd(v, mul(r, dr));
  return SaturateToBits(v, out_bits);
}

struct Branch {
  __m512i m, e, add;
};

INTVIT_REQUANT_AVX512 inline Branch LoadBranch(const LaneMults& lm, std::int64_t c) {
  // _mm512_loadu_si512: 8 int64 lanes from c (the arrays are padded to a multiple of 8).
  return {_mm512_loadu_si512(lm.m.data() + c), _mm512_loadu_si512(lm.e.data() + c),
          _mm512_loadu_si512(lm.add.data() + c)};
}

INTVIT_REQUANT_AVX512 inline Branch BroadcastBranch(const LaneMults& lm) {
  // _mm512_set1_epi64: every lane = the one value.
  return {_mm512_set1_epi64(lm.m[0]), _mm512_set1_epi64(lm.e[0]), _mm512_set1_epi64(lm.add[0])};
}

template <bool kHalfEven, bool kHasRes, typename In, typename Res, typename Out>
struct Kernel {
  const RequantParams& p;
  const In* x;
  const Res* res;
  Out* y;
  __m512i lo, hi;

  // Elements [i, i + 8) masked by `mask`, channel c of the first one (per-channel params) or
  // any (per-tensor: c is only used by the scalar fallback).
  INTVIT_REQUANT_AVX512 inline void Step(std::int64_t i, __mmask8 mask, const Branch& b,
                                         const Branch& br, std::int64_t c, bool per_channel,
                                         bool res_per_channel) const {
    const __m512i xv = Load8(x + i, mask);
    __m512i rv = _mm512_setzero_si512();
    if constexpr (kHasRes) rv = Load8(res + i, mask);
    if constexpr (sizeof(In) == 8 || sizeof(Res) == 8) {
      __mmask8 fits = FitsInt32(xv);
      if constexpr (kHasRes) fits &= FitsInt32(rv);
      if ((fits & mask) != mask) {
        for (int l = 0; l < 8; ++l) {
          if (((mask >> l) & 1) == 0) continue;
          const Dyadic d = p.mult[per_channel ? c + l : 0];
          const Dyadic dr = kHasRes ? p.mult_res[res_per_channel ? c + l : 0] : Dyadic{};
          const std::int64_t r = kHasRes ? std::int64_t{res[i + l]} : 0;
          y[i + l] = static_cast<Out>(
              ScalarElement<kHalfEven>(x[i + l], d, kHasRes, r, dr, p.out_bits));
        }
        return;
      }
    }
    __m512i v = DyadicLanes<kHalfEven>(xv, b.m, b.e, b.add);
    if constexpr (kHasRes) v = _mm512_add_epi64(v, DyadicLanes<kHalfEven>(rv, br.m, br.e, br.add));
    // _mm512_max_epi64 / _mm512_min_epi64: lane-wise signed max / min (the clamp).
    v = _mm512_maskz_min_epi64(kAll, _mm512_maskz_max_epi64(kAll, v, lo), hi);
    Store8(y + i, mask, v);
  }
};

template <bool kHalfEven, bool kHasRes, typename In, typename Res, typename Out>
INTVIT_REQUANT_AVX512 void Run(const RequantParams& p, std::int64_t channels, const In* x,
                               const Res* res, Out* y, std::int64_t n, const LaneMults& mm,
                               const LaneMults& rm) {
  const std::int64_t lo = -(std::int64_t{1} << (p.out_bits - 1));
  const Kernel<kHalfEven, kHasRes, In, Res, Out> k{p, x, res, y, _mm512_set1_epi64(lo),
                                                   _mm512_set1_epi64(-lo - 1)};
  const bool per_channel = p.mult.size() > 1;
  const bool res_per_channel = kHasRes && p.mult_res.size() > 1;
  if (!per_channel && !res_per_channel) {
    // One multiplier per branch: the tensor is one flat run.
    const Branch b = BroadcastBranch(mm);
    const Branch br = kHasRes ? BroadcastBranch(rm) : b;
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) k.Step(i, 0xff, b, br, 0, false, false);
    if (i < n) k.Step(i, static_cast<__mmask8>((1u << (n - i)) - 1), b, br, 0, false, false);
    return;
  }
  // Per-channel in at least one branch; a per-tensor branch was expanded to `channels` entries.
  const std::int64_t rows = n / channels;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t base = r * channels;
    for (std::int64_t c = 0; c < channels; c += 8) {
      const std::int64_t left = channels - c;
      const auto mask = static_cast<__mmask8>(left >= 8 ? 0xff : (1u << left) - 1);
      const Branch b = LoadBranch(mm, c);
      const Branch br = kHasRes ? LoadBranch(rm, c) : b;
      k.Step(base + c, mask, b, br, c, per_channel, res_per_channel);
    }
  }
}

// Expands a per-tensor multiplier to `channels` copies when the other branch is per-channel.
std::vector<Dyadic> Expand(const std::vector<Dyadic>& mult, std::int64_t channels, bool expand) {
  if (!expand || mult.size() != 1) return mult;
  return std::vector<Dyadic>(static_cast<std::size_t>(channels), mult[0]);
}

}  // namespace

bool PrepareLaneMults(const std::vector<Dyadic>& mult, Rounding rounding, LaneMults& out) {
  const std::size_t n = (mult.size() + 7) / 8 * 8;
  out.m.assign(n, 0);
  out.e.assign(n, 1);
  out.add.assign(n, 0);
  for (std::size_t i = 0; i < mult.size(); ++i) {
    Dyadic d = mult[i];
    if (d.m == (std::int64_t{1} << 31)) d = Dyadic{std::int64_t{1} << 30, d.e - 1};
    if (d.e < 1 || d.e > 62) return false;
    const std::int64_t half = std::int64_t{1} << (d.e - 1);
    out.m[i] = d.m;
    out.e[i] = d.e;
    out.add[i] = rounding == Rounding::kHalfEven ? half - 1 : half;
  }
  return true;
}

template <typename In, typename Res, typename Out>
bool RequantAvx512(const RequantParams& p, std::int64_t channels, const In* x, const Res* res,
                   Out* y, std::int64_t n) {
  if constexpr (sizeof(Out) > 2) {
    return false;
  } else {
    if (p.out_bits > static_cast<int>(8 * sizeof(Out))) return false;
    const bool has_res = res != nullptr && p.HasResidual();
    const bool any_per_channel = p.mult.size() > 1 || (has_res && p.mult_res.size() > 1);
    LaneMults mm, rm;
    if (!PrepareLaneMults(Expand(p.mult, channels, any_per_channel), p.rounding, mm)) return false;
    if (has_res &&
        !PrepareLaneMults(Expand(p.mult_res, channels, any_per_channel), p.rounding, rm)) {
      return false;
    }
    const bool half_even = p.rounding == Rounding::kHalfEven;
    if (has_res) {
      half_even ? Run<true, true>(p, channels, x, res, y, n, mm, rm)
                : Run<false, true>(p, channels, x, res, y, n, mm, rm);
    } else {
      half_even ? Run<true, false>(p, channels, x, res, y, n, mm, rm)
                : Run<false, false>(p, channels, x, res, y, n, mm, rm);
    }
    return true;
  }
}

#define INTVIT_REQUANT_AVX512_INST(In, Res, Out)                                           \
  template bool RequantAvx512<In, Res, Out>(const RequantParams&, std::int64_t, const In*, \
                                            const Res*, Out*, std::int64_t);
INTVIT_REQUANT_AVX512_INST(std::int32_t, std::int32_t, std::int8_t)
INTVIT_REQUANT_AVX512_INST(std::int32_t, std::int32_t, std::int16_t)
INTVIT_REQUANT_AVX512_INST(std::int64_t, std::int64_t, std::int8_t)
INTVIT_REQUANT_AVX512_INST(std::int64_t, std::int64_t, std::int16_t)
INTVIT_REQUANT_AVX512_INST(std::int16_t, std::int16_t, std::int16_t)
INTVIT_REQUANT_AVX512_INST(std::int16_t, std::int16_t, std::int8_t)
INTVIT_REQUANT_AVX512_INST(std::int32_t, std::int16_t, std::int16_t)
INTVIT_REQUANT_AVX512_INST(std::int64_t, std::int64_t, std::int64_t)
#undef INTVIT_REQUANT_AVX512_INST

}  // namespace intvit::model::requant_detail
