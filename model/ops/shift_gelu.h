// ShiftGELU: I-ViT's IntGELU on integers. docs/arithmetic.md §ShiftGELU.
#pragma once

#include <cstdint>
#include <span>

#include "model/ops/shiftmax.h"  // kDivDefault, kDivFloat32

namespace intvit::model {

struct ShiftGeluParams {
  std::int64_t x0 = 0;  // floor(-1/(s*1.702)) in float32, from the int8 input scale s; < 0
  int n = 23;
  int out_bits = 8;     // B: the sigmoid has B-1 fractional bits
  std::int64_t div = kDivDefault;
};

// Throws InputError unless x0 in [-2^31, -1], n in [0, 30], out_bits in [2, 16],
// div in [1, 2^31], |x0| * 2^n <= 2^61, and every output fits int32.
void CheckShiftGeluParams(const ShiftGeluParams& p);

// Computes, per row of `cols` (the hidden features of one token):
//               xm  = max_j x[j]
//               e1  = ShiftExpSaturating(x[j] - xm, x0, n)       per element
//               e2  = ShiftExpSaturating(-xm, x0, n)             once per row
//               S   = min(e1 + e2, div);  f = floor(div / S)     one divide per element
//               sig = floor(e1 * f / 2^(32 - B))                 sigmoid(1.702 x), B-1 frac bits
//               y   = x * sig                                    scale s * 2^-(B-1)
// Rounding:   floor at the divide and the shift.
// Saturation: e1 + e2 at div (I-ViT's clamp_max_). For an all-negative row, -xm > 0 and e2's
//             true value is astronomically large; ShiftExpSaturating caps it far above div,
//             which yields the same S = div.
// Range:      CheckShiftGeluParams(p); x.size() == y.size(), a multiple of cols >= 1.
//             With B = 8 and |x0| < 512 the output fits int16 (|y| <= 128 * 127).
// Hardware:   rtl/nonlinear/ivit_gelu.sv.
void ShiftGelu(const ShiftGeluParams& p, std::int64_t cols, std::span<const std::int8_t> x,
               std::span<std::int32_t> y);

}  // namespace intvit::model
