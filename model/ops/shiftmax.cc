#include "model/ops/shiftmax.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

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

namespace {

// The row maximum, as a plain loop the compiler vectorizes.
int RowMax(const std::int8_t* x, std::int64_t n) {
  int m = INT8_MIN;
  for (std::int64_t j = 0; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

// Terms per partial sum: each term is clamped to div <= 2^31, so a chunk sums below 2^43.
constexpr std::int64_t kSumChunk = 4096;

}  // namespace

void Shiftmax(const ShiftmaxParams& p, std::int64_t cols, std::span<const std::int8_t> x,
              std::span<std::uint16_t> y) {
  // x - xm of int8 values lies in [-255, 0]: tabulate the shift-exp once per call. The table
  // holds exactly ShiftExpSaturating's values, so the result is the formula's, element for
  // element (tests/model/ops/shiftmax_test.cc compares against a per-element evaluation).
  std::array<std::int64_t, 256> exp_of_minus{};
  for (int d = 0; d < 256; ++d) exp_of_minus[d] = ShiftExpSaturating(-d, p.x0, p.n);
  const int out_shift = 32 - p.out_bits;
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  std::vector<std::int64_t> e(static_cast<std::size_t>(cols));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* xr = x.data() + r * cols;
    std::uint16_t* yr = y.data() + r * cols;
    const int xm = RowMax(xr, cols);
    // The contract's S = min(sum_j e[j], div). Every e[j] >= 0, so clamping partial sums at div
    // at any points gives the same S (once a partial sum reaches div, so does every later one
    // and the total), and so does clamping each term to div (a term >= div makes S = div either
    // way). The terms are therefore min(e[j], div) <= 2^31, added without a dependency on the
    // clamp, and the sum is clamped once per chunk, far below overflow.
    std::int64_t sum = 0;
    for (std::int64_t j0 = 0; j0 < cols; j0 += kSumChunk) {
      const std::int64_t j1 = std::min(cols, j0 + kSumChunk);
      std::int64_t chunk = 0;
      for (std::int64_t j = j0; j < j1; ++j) {
        const std::int64_t ej = exp_of_minus[xm - xr[j]];
        e[j] = ej;
        chunk += std::min(ej, p.div);
      }
      sum = std::min(sum + chunk, p.div);
    }
    const std::int64_t f = p.div / sum;  // sum >= 1: e >= 1 for every element
    // e * f <= max(div, e_max) < 2^62: f = 1 when sum = div, else f <= div / e.
    for (std::int64_t j = 0; j < cols; ++j) {
      yr[j] = static_cast<std::uint16_t>((e[j] * f) >> out_shift);
    }
  }
}

}  // namespace intvit::model
