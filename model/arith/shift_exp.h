// I-ViT's shift-based exponential (int_exp_shift), shared by Shiftmax and ShiftGELU.
#pragma once

#include <algorithm>
#include <cstdint>

#include "model/arith/div.h"
#include "model/arith/shift.h"

namespace intvit::model {

// Results above this are saturated. It is far above any DIV (2^31), so a saturated term still
// drives min(sum, DIV) to DIV exactly as the unsaturated one would, and two of them add without
// overflow.
inline constexpr std::int64_t kShiftExpCap = std::int64_t{1} << 61;

// Legal operand ranges.
inline constexpr std::int64_t kShiftExpMaxAbsT = std::int64_t{1} << 40;
inline constexpr std::int64_t kShiftExpMinX0 = -(std::int64_t{1} << 31);
inline constexpr int kShiftExpMaxN = 30;

// Computes:   e ~ exp(t * s) * 2^n / s-units, as I-ViT's int_exp_shift with x0 = floor(-1/s):
//               t' = t + floor(t/2) - floor(t/16)          (t * 1.4375 ~ t * log2(e))
//               t' = max(t', n * x0)
//               q  = floor(t' / x0),  r = t' - x0 * q       (r in (x0, 0])
//               e  = floor((r/2 - x0) * 2^(n - q)) = ((r - 2*x0) << (n - q)) >> 1
// Rounding:   floor everywhere, as written in the code.
// Saturation: to kShiftExpCap. Reached only for t > 0 (ShiftGELU's e^(-xmax) term of an
//             all-negative row), where n - q exceeds n; see docs/arithmetic.md.
// Range:      |t| <= 2^40, x0 in [-2^31, -1], n in [0, 30].
// Hardware:   rtl/nonlinear/ivit_shift_exp.sv.
constexpr std::int64_t ShiftExpSaturating(std::int64_t t, std::int64_t x0, int n) {
  t = t + ShiftRightFloor(t, 1) - ShiftRightFloor(t, 4);
  t = std::max(t, static_cast<std::int64_t>(n) * x0);
  const std::int64_t q = DivFloor(t, x0);
  const std::int64_t r = t - x0 * q;
  const std::int64_t base = r - 2 * x0;  // in (-x0, -2*x0]: positive, < 2^33
  const std::int64_t shift = static_cast<std::int64_t>(n) - q;  // >= 0 because t' >= n*x0
  // base < 2^33 and shift <= 27 keeps base << shift below 2^61 (the cap); larger shifts
  // saturate, and so does a product that would cross the cap.
  if (shift >= 61) return kShiftExpCap;
  const std::int64_t v = ShiftLeftSaturating(base, static_cast<int>(shift)) >> 1;
  return std::min(v, kShiftExpCap);
}

}  // namespace intvit::model
