// Dyadic numbers m * 2^-e and the requantizing multiply of HAWQ-V3 / I-ViT.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/arith/int_types.h"
#include "model/arith/shift.h"

namespace intvit::model {

// value = m * 2^-e. Produced at preparation by model/quant/dyadic_from_ratio.h (HAWQ batch_frexp):
// |m| in [2^30, 2^31] (m = 2^31 is possible, so int64), m < 0 when a LayerNorm gamma is negative,
// e <= 0 means a left shift.
struct Dyadic {
  std::int64_t m = 0;
  int e = 0;
  friend constexpr bool operator==(const Dyadic&, const Dyadic&) = default;
};

// Legal ranges, checked wherever a Dyadic enters from a file (model or vector case).
inline constexpr std::int64_t kDyadicMaxAbsM = std::int64_t{1} << 31;
inline constexpr int kDyadicMinE = -62;
inline constexpr int kDyadicMaxE = 126;
constexpr bool IsValidDyadic(const Dyadic& d) {
  return d.m >= -kDyadicMaxAbsM && d.m <= kDyadicMaxAbsM && d.e >= kDyadicMinE &&
         d.e <= kDyadicMaxE;
}

// The requantization rounding. Names match the vector format's "rounding" param.
enum class Rounding { kHalfEven, kHalfUp };
constexpr std::string_view RoundingName(Rounding r) {
  return r == Rounding::kHalfEven ? "half_even" : "half_up";
}

namespace detail {
constexpr std::int64_t DyadicLeftShiftSaturating(Int128 p, int k) {
  // p * 2^k with |p| < 2^95 and k in [0, 62]: saturate once it leaves int64.
  const Int128 limit = Int128{kInt64Max} >> k;
  if (p > limit) return kInt64Max;
  if (p < -limit - 1) return kInt64Min;
  return SaturateInt128ToInt64(p * (Int128{1} << k));
}
}  // namespace detail

// Computes:   round(x * m / 2^e), the product taken exactly in 128 bits.
// Rounding:   to nearest, ties to even (torch.round in I-ViT's fixedpoint_mul).
// Saturation: to int64 only if the exact result leaves int64; callers clamp to 8/16 bits.
// Range:      any int64 x; IsValidDyadic(d).
// Hardware:   rtl/nonlinear/ivit_requant.sv (multiplier, then ivit_round_shift half_even).
constexpr std::int64_t DyadicMultiplyHalfEven(std::int64_t x, Dyadic d) {
  // 64-bit fast path: |x| <= 2^31 and |m| <= 2^31 keep the product within 2^62.
  if (x >= -(std::int64_t{1} << 31) && x <= (std::int64_t{1} << 31) && d.e >= 1 && d.e <= 62) {
    return RoundingShiftRightHalfEven(x * d.m, d.e);
  }
  const Int128 p = Int128{x} * Int128{d.m};
  if (d.e <= 0) return detail::DyadicLeftShiftSaturating(p, -d.e);
  return detail::SaturateInt128ToInt64(detail::RoundingShiftRightHalfEven128(p, d.e));
}

// Computes:   round(x * m / 2^e) = floor((x * m + 2^(e-1)) / 2^e), exact in 128 bits.
// Rounding:   to nearest, ties toward plus infinity (TVM qnn "UPWARD").
// Saturation: as DyadicMultiplyHalfEven.
// Range:      any int64 x; IsValidDyadic(d).
// Hardware:   rtl/nonlinear/ivit_requant.sv with ROUNDING = half_up.
constexpr std::int64_t DyadicMultiplyHalfUp(std::int64_t x, Dyadic d) {
  if (x >= -(std::int64_t{1} << 31) && x <= (std::int64_t{1} << 31) && d.e >= 1 && d.e <= 62) {
    return RoundingShiftRightHalfUp(x * d.m, d.e);
  }
  const Int128 p = Int128{x} * Int128{d.m};
  if (d.e <= 0) return detail::DyadicLeftShiftSaturating(p, -d.e);
  return detail::SaturateInt128ToInt64(detail::RoundingShiftRightHalfUp128(p, d.e));
}

// Dispatches on a run-time rounding choice to one of the two named functions above.
constexpr std::int64_t DyadicMultiplyWithRounding(std::int64_t x, Dyadic d, Rounding r) {
  return r == Rounding::kHalfEven ? DyadicMultiplyHalfEven(x, d) : DyadicMultiplyHalfUp(x, d);
}

}  // namespace intvit::model
