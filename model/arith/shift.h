// Shifts with the rounding in the name. Every requantization, Shiftmax, ShiftGELU and
// LayerNorm formula in docs/arithmetic.md is built from these.
#pragma once

#include <cstdint>

#include "model/arith/int_types.h"

namespace intvit::model {

// Computes:   floor(x / 2^k).
// Rounding:   toward minus infinity (arithmetic shift; C++20 defines >> on negatives).
// Saturation: none needed.
// Range:      k in [0, 63].
// Hardware:   a plain `>>>` in rtl/ (arithmetic shift right).
constexpr std::int64_t ShiftRightFloor(std::int64_t x, int k) { return x >> k; }

// Computes:   x * 2^k, saturated to [INT64_MIN, INT64_MAX].
// Rounding:   exact when in range.
// Saturation: to int64 when |x| * 2^k >= 2^63. The callers clamp to 8/16/32 bits afterwards, so
//             a saturated value lands on the same clamp bound as the exact one would.
// Range:      k in [0, 127].
constexpr std::int64_t ShiftLeftSaturating(std::int64_t x, int k) {
  if (x == 0) return 0;
  if (k >= 63) return x > 0 ? kInt64Max : kInt64Min;
  const std::int64_t limit = kInt64Max >> k;  // largest |x| that fits after the shift
  if (x > limit) return kInt64Max;
  if (x < -limit - 1) return kInt64Min;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << k);
}

namespace detail {

// The rounding shifts on a 128-bit value; the int64 and dyadic forms below call these.
// Range: e in [1, 126].
constexpr Int128 RoundingShiftRightHalfEven128(Int128 x, int e) {
  const Int128 q = x >> e;  // floor
  const Int128 rem = x - (q << e);  // in [0, 2^e)
  const Int128 half = Int128{1} << (e - 1);
  const bool up = rem > half || (rem == half && (q & 1) != 0);
  return q + (up ? 1 : 0);
}

constexpr Int128 RoundingShiftRightHalfUp128(Int128 x, int e) {
  // (x + 2^(e-1)) >> e, written without the add so that it cannot overflow.
  const Int128 q = x >> e;
  const Int128 rem = x - (q << e);
  const Int128 half = Int128{1} << (e - 1);
  return q + (rem >= half ? 1 : 0);
}

constexpr std::int64_t SaturateInt128ToInt64(Int128 x) {
  if (x > Int128{kInt64Max}) return kInt64Max;
  if (x < Int128{kInt64Min}) return kInt64Min;
  return static_cast<std::int64_t>(x);
}

}  // namespace detail

// Computes:   round(x / 2^e) for e >= 1; x * 2^-e (a left shift) for e <= 0.
// Rounding:   to nearest, ties to even (PyTorch's torch.round, I-ViT's requantization).
// Saturation: left shifts saturate to int64 (see ShiftLeftSaturating); right shifts cannot
//             overflow.
// Range:      e in [-127, 126].
// Hardware:   rtl/prim/ivit_round_shift.sv with ROUNDING = half_even.
constexpr std::int64_t RoundingShiftRightHalfEven(std::int64_t x, int e) {
  if (e <= 0) return ShiftLeftSaturating(x, -e);
  if (e <= 62) {  // 64-bit fast path; the remainder is x mod 2^e, in [0, 2^e)
    const std::int64_t q = x >> e;
    const std::int64_t rem = x & ((std::int64_t{1} << e) - 1);
    const std::int64_t half = std::int64_t{1} << (e - 1);
    return q + ((rem > half || (rem == half && (q & 1) != 0)) ? 1 : 0);
  }
  return detail::SaturateInt128ToInt64(detail::RoundingShiftRightHalfEven128(x, e));
}

// Computes:   round(x / 2^e) for e >= 1, i.e. floor((x + 2^(e-1)) / 2^e); x * 2^-e for e <= 0.
// Rounding:   to nearest, ties toward plus infinity (TVM qnn "UPWARD").
// Saturation: as RoundingShiftRightHalfEven.
// Range:      e in [-127, 126].
// Hardware:   rtl/prim/ivit_round_shift.sv with ROUNDING = half_up.
constexpr std::int64_t RoundingShiftRightHalfUp(std::int64_t x, int e) {
  if (e <= 0) return ShiftLeftSaturating(x, -e);
  if (e <= 62) {
    const std::int64_t q = x >> e;
    const std::int64_t rem = x & ((std::int64_t{1} << e) - 1);
    return q + (rem >= (std::int64_t{1} << (e - 1)) ? 1 : 0);
  }
  return detail::SaturateInt128ToInt64(detail::RoundingShiftRightHalfUp128(x, e));
}

}  // namespace intvit::model
