#include "model/ops/shift_gelu.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

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

namespace {

// The row maximum, as a plain loop the compiler vectorizes.
int RowMax(const std::int8_t* x, std::int64_t n) {
  int m = INT8_MIN;
  for (std::int64_t j = 0; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

}  // namespace

void ShiftGelu(const ShiftGeluParams& p, std::int64_t cols, std::span<const std::int8_t> x,
               std::span<std::int32_t> y) {
  // Given the row maximum xm, the output depends on x alone: e1 on d = xm - x (tabulated once
  // per call), e2 on xm. So for each distinct xm of the call a table y_of[x + 128] is built once,
  // over x in [-128, xm], with exactly the contract's formula, and each element is a lookup.
  // Rows of a GELU input share few maxima, so this does at most 129 + xm divisions per distinct
  // xm instead of one per distinct d per row. tests/model/ops/shift_gelu_test.cc compares
  // against a per-element evaluation.
  std::array<std::int64_t, 256> e1_of{};
  for (int d = 0; d < 256; ++d) e1_of[d] = ShiftExpSaturating(-d, p.x0, p.n);
  const int out_shift = 32 - p.out_bits;
  // div and every S = min(e1 + e2, div) are in [1, 2^31]: the quotient floor(div / S) is the
  // same in uint32, whose divide is cheaper than the 64-bit one.
  const auto div32 = static_cast<std::uint32_t>(p.div);
  std::array<int, 256> table_index;
  table_index.fill(-1);
  std::vector<std::array<std::int32_t, 256>> tables;
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* xr = x.data() + r * cols;
    std::int32_t* yr = y.data() + r * cols;
    const int xm = RowMax(xr, cols);
    int& index = table_index[xm + 128];
    if (index < 0) {
      index = static_cast<int>(tables.size());
      std::array<std::int32_t, 256>& t = tables.emplace_back();
      t.fill(0);  // entries above xm are never read
      const std::int64_t e2 = ShiftExpSaturating(-xm, p.x0, p.n);
      for (int v = -128; v <= xm; ++v) {
        const std::int64_t e1 = e1_of[xm - v];
        const std::int64_t s = std::min(e1 + e2, p.div);  // both <= 2^61: no overflow; s >= 1
        const std::int64_t f = div32 / static_cast<std::uint32_t>(s);
        const std::int64_t sig = (e1 * f) >> out_shift;  // e1 * f <= max(div, e1)
        t[v + 128] = static_cast<std::int32_t>(v * sig);
      }
    }
    const std::int32_t* t = tables[index].data();
    for (std::int64_t j = 0; j < cols; ++j) yr[j] = t[xr[j] + 128];
  }
}

}  // namespace intvit::model
