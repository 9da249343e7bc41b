#include "model/ops/shift_gelu.h"

#include <algorithm>
#include <array>
#include <string>

#include "model/arith/shift_exp.h"
#include "model/common/error.h"

namespace intvit::model {

void CheckShiftGeluParams(const ShiftGeluParams& p) {
  Require(p.x0 >= kShiftExpMinX0 && p.x0 <= -1,
          "shiftgelu: x0 must be in [-2^31, -1], got " + std::to_string(p.x0));
  Require(p.n >= 0 && p.n <= kShiftExpMaxN,
          "shiftgelu: n must be in [0, 30], got " + std::to_string(p.n));
  Require(p.out_bits >= 2 && p.out_bits <= 16,
          "shiftgelu: out_bits must be in [2, 16], got " + std::to_string(p.out_bits));
  Require(p.div >= 1 && p.div <= kDivFloat32,
          "shiftgelu: div must be in [1, 2^31], got " + std::to_string(p.div));
  const int bits_x0 = 64 - __builtin_clzll(static_cast<unsigned long long>(-p.x0));
  Require(bits_x0 + p.n <= 61, "shiftgelu: |x0| * 2^n exceeds 2^61 (x0 " +
                                   std::to_string(p.x0) + ", n " + std::to_string(p.n) + ")");
  // sig <= max(div, e1_max) >> (32 - B), and |x| <= 128.
  const std::int64_t e_max = (-p.x0) << p.n;
  const std::int64_t sig_max = std::max(p.div, e_max) >> (32 - p.out_bits);
  Require(sig_max <= (std::int64_t{INT32_MAX} >> 7),
          "shiftgelu: x0 " + std::to_string(p.x0) + " with n " + std::to_string(p.n) +
              " lets x * sigmoid leave int32; the input scale is implausibly small");
}

void ShiftGelu(const ShiftGeluParams& p, std::int64_t cols, std::span<const std::int8_t> x,
               std::span<std::int32_t> y) {
  // e1 depends only on d = xm - x in [0, 255]: tabulate it once per call. Within a row the
  // sigmoid depends only on d too, so each distinct d is divided once and remembered; the
  // values are exactly the formula's (tests compare against a per-element evaluation).
  std::array<std::int64_t, 256> e1_of{};
  for (int d = 0; d < 256; ++d) e1_of[d] = ShiftExpSaturating(-d, p.x0, p.n);
  const int out_shift = 32 - p.out_bits;
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  std::array<std::int64_t, 256> sig_of{};
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* xr = x.data() + r * cols;
    std::int32_t* yr = y.data() + r * cols;
    const int xm = *std::max_element(xr, xr + cols);
    const std::int64_t e2 = ShiftExpSaturating(-xm, p.x0, p.n);
    sig_of.fill(-1);
    for (std::int64_t j = 0; j < cols; ++j) {
      const int d = xm - xr[j];
      if (sig_of[d] < 0) {
        const std::int64_t e1 = e1_of[d];
        const std::int64_t s = std::min(e1 + e2, p.div);  // both <= 2^61: no overflow
        const std::int64_t f = p.div / s;                 // s >= 1
        sig_of[d] = (e1 * f) >> out_shift;                // e1 * f <= max(div, e1)
      }
      yr[j] = static_cast<std::int32_t>(xr[j] * sig_of[d]);
    }
  }
}

}  // namespace intvit::model
