// Integer divisions with the rounding in the name. Never rely on `/` for negative operands: it
// truncates toward zero, and I-ViT's formulas floor.
#pragma once

#include <cstdint>

namespace intvit::model {

// Computes:   floor(a / b).
// Rounding:   toward minus infinity (Python's //, torch.floor(a / b) on exact integers).
// Saturation: none; the only overflowing case, INT64_MIN / -1, is outside the range.
// Range:      b != 0; not (a == INT64_MIN and b == -1).
// Hardware:   rtl/prim/ivit_udiv.sv divides non-negative operands only; its callers
//             guarantee a >= 0, b > 0, where floor and truncation agree.
constexpr std::int64_t DivFloor(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  const std::int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q;
}

// Computes:   round(a / b) for b > 0 (the mean of a row: round(sum / C)).
// Rounding:   to nearest, ties to even (torch.round of the exact rational).
// Saturation: none.
// Range:      b in [1, 2^62).
// Hardware:   the LayerNorm mean stage (rtl/nonlinear/ivit_layernorm.sv).
constexpr std::int64_t RoundingDivHalfEven(std::int64_t a, std::int64_t b) {
  const std::int64_t q = DivFloor(a, b);
  const std::int64_t rem = a - q * b;  // in [0, b)
  const std::int64_t twice = 2 * rem;  // < 2^63 by the range of b
  const bool up = twice > b || (twice == b && (q & 1) != 0);
  return q + (up ? 1 : 0);
}

}  // namespace intvit::model
