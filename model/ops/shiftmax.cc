#include "model/ops/shiftmax.h"

#include <algorithm>
#include <array>
#include <string>

#include "model/arith/shift_exp.h"
#include "model/common/error.h"

namespace intvit::model {

void CheckShiftmaxParams(const ShiftmaxParams& p) {
  Require(p.x0 >= kShiftExpMinX0 && p.x0 <= -1,
          "shiftmax: x0 must be in [-2^31, -1], got " + std::to_string(p.x0));
  Require(p.n >= 0 && p.n <= kShiftExpMaxN,
          "shiftmax: n must be in [0, 30], got " + std::to_string(p.n));
  Require(p.out_bits >= 2 && p.out_bits <= 16,
          "shiftmax: out_bits must be in [2, 16], got " + std::to_string(p.out_bits));
  Require(p.div >= 1 && p.div <= kDivFloat32,
          "shiftmax: div must be in [1, 2^31], got " + std::to_string(p.div));
  // The largest e of a row is |x0| * 2^n (at x = xm); it must stay below the shift-exp cap, and
  // when the row sum saturates (f = 1) it must still give a uint16 output.
  const int bits_x0 = 64 - __builtin_clzll(static_cast<unsigned long long>(-p.x0));
  Require(bits_x0 + p.n <= 61,
          "shiftmax: |x0| * 2^n exceeds 2^61 (x0 " + std::to_string(p.x0) + ", n " +
              std::to_string(p.n) + ")");
  const std::int64_t e_max = (-p.x0) << p.n;
  Require((e_max >> (32 - p.out_bits)) <= 65535,
          "shiftmax: x0 " + std::to_string(p.x0) + " with n " + std::to_string(p.n) +
              " can produce outputs above 65535; the logit scale is implausibly small");
}

void Shiftmax(const ShiftmaxParams& p, std::int64_t cols, std::span<const std::int8_t> x,
              std::span<std::uint16_t> y) {
  // x - xm of int8 values lies in [-255, 0]: tabulate the shift-exp once per call. The table
  // holds exactly ShiftExpSaturating's values, so the result is the formula's, element for
  // element (tests/model/ops/shiftmax_test.cc compares against a per-element evaluation).
  std::array<std::int64_t, 256> exp_of_minus{};
  for (int d = 0; d < 256; ++d) exp_of_minus[d] = ShiftExpSaturating(-d, p.x0, p.n);
  const int out_shift = 32 - p.out_bits;
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* xr = x.data() + r * cols;
    std::uint16_t* yr = y.data() + r * cols;
    const int xm = *std::max_element(xr, xr + cols);
    // Clamping as we go gives the same min(sum, div) and keeps sum <= div + 2^61.
    std::int64_t sum = 0;
    for (std::int64_t j = 0; j < cols; ++j) sum = std::min(sum + exp_of_minus[xm - xr[j]], p.div);
    const std::int64_t f = p.div / sum;  // sum >= 1: e >= 1 for every element
    for (std::int64_t j = 0; j < cols; ++j) {
      yr[j] = static_cast<std::uint16_t>((exp_of_minus[xm - xr[j]] * f) >> out_shift);
    }
  }
}

}  // namespace intvit::model
