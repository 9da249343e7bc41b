// Shiftmax: I-ViT's IntSoftmax on integers. docs/arithmetic.md §Shiftmax.
#pragma once

#include <cstdint>
#include <span>

namespace intvit::model {

inline constexpr std::int64_t kDivDefault = 2147483647;  // 2^31 - 1, as I-ViT's code writes it
inline constexpr std::int64_t kDivFloat32 = 2147483648;  // 2^31, what float32 QAT computed

struct ShiftmaxParams {
  std::int64_t x0 = 0;  // floor(-1/s) from the float32 scale s of the int8 logits; < 0
  int n = 15;           // exp precision: e has scale s / 2^n
  int out_bits = 16;    // B: the output has scale 2^-(B-1)
  std::int64_t div = kDivDefault;
};

// Throws InputError unless the params are legal and guarantee an output that fits uint16:
// x0 in [-2^31, -1], n in [0, 30], out_bits in [2, 16], div in [1, 2^31],
// |x0| * 2^n <= 2^61 and (|x0| * 2^n) >> (32 - B) <= 65535.
void CheckShiftmaxParams(const ShiftmaxParams& p);

// Computes, per row of `cols` (the last axis):
//               xm = max_j x[j];  e[j] = ShiftExpSaturating(x[j] - xm, x0, n)
//               S = min(sum_j e[j], div);  f = floor(div / S)
//               y[j] = floor(e[j] * f / 2^(32 - B))
// Rounding:   floor at the division and at the final shift.
// Saturation: the row sum saturates at div (I-ViT's clamp_max_). No other clamp: with
//             div = 2^31 - 1 the output is in [0, 2^(B-1) - 1]; with div = 2^31, 2^(B-1) is
//             reachable, so B = 16 needs uint16.
// Range:      CheckShiftmaxParams(p); x.size() == y.size(), a multiple of cols >= 1.
// Hardware:   rtl/nonlinear/ivit_shiftmax.sv (max pass, shift-exp, sum, one divide per row).
void Shiftmax(const ShiftmaxParams& p, std::int64_t cols, std::span<const std::int8_t> x,
              std::span<std::uint16_t> y);

}  // namespace intvit::model
