#include "model/ops/shiftmax.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "model/arith/shift_exp.h"
#include "model/common/error.h"

namespace intvit::model {
namespace {

std::vector<std::uint16_t> RunShiftmax(const ShiftmaxParams& p, std::int64_t cols,
                                       const std::vector<std::int8_t>& x) {
  std::vector<std::uint16_t> y(x.size());
  Shiftmax(p, cols, x, y);
  return y;
}

TEST(Shiftmax, HandDerivedTwoElementRow) {
  // x0 = -100 (s = 0.01), row [0, -100] = logits [0.0, -1.0]:
  // e = [3276800, 1286144] (see ShiftExpSaturating tests); S = 4562944;
  // f = floor((2^31 - 1) / 4562944) = 470; y = e * 470 >> 16 = [23500, 9223.75 -> 9223].
  ShiftmaxParams p{-100, 15, 16, kDivDefault};
  EXPECT_EQ(RunShiftmax(p, 2, {0, -100}), (std::vector<std::uint16_t>{23500, 9223}));
  // Shifting the whole row does not change it: the row max is subtracted first.
  EXPECT_EQ(RunShiftmax(p, 2, {27, -73}), (std::vector<std::uint16_t>{23500, 9223}));
}

TEST(Shiftmax, EightBitOutputShiftsBy24) {
  // Same row, B = 8: y = e * 470 >> 24 = [91.79 -> 91, 36.03 -> 36].
  ShiftmaxParams p{-100, 15, 8, kDivDefault};
  EXPECT_EQ(RunShiftmax(p, 2, {0, -100}), (std::vector<std::uint16_t>{91, 36}));
}

TEST(Shiftmax, SingleElementRowIsJustBelowOne) {
  // e = 100 * 2^15 = S; f = floor((2^31 - 1) / 3276800) = 655; y = 3276800 * 655 >> 16 = 32750.
  ShiftmaxParams p{-100, 15, 16, kDivDefault};
  EXPECT_EQ(RunShiftmax(p, 1, {5}), (std::vector<std::uint16_t>{32750}));
  // With DIV = 2^31 and x0 = -1: e = 2^15, f = 2^16, y = 2^15 = 32768, which needs uint16.
  ShiftmaxParams q{-1, 15, 16, kDivFloat32};
  EXPECT_EQ(RunShiftmax(q, 1, {-7}), (std::vector<std::uint16_t>{32768}));
}

TEST(Shiftmax, SumSaturatesAtDiv) {
  // x0 = -1000 and 197 equal logits: each e = 1000 * 2^15, the sum 6.45e9 > DIV, so S = DIV,
  // f = 1 and y = 32768000 >> 16 = 500 for every element.
  ShiftmaxParams p{-1000, 15, 16, kDivDefault};
  const std::vector<std::int8_t> x(197, 3);
  EXPECT_EQ(RunShiftmax(p, 197, x), std::vector<std::uint16_t>(197, 500));
}

TEST(Shiftmax, EveryInt8LogitAgainstEveryMaxStaysInRangeAndOrdered) {
  for (std::int64_t x0 : {-1, -7, -13, -47, -100, -250}) {
    ShiftmaxParams p{x0, 15, 16, kDivDefault};
    for (int m = -128; m <= 127; m += 5) {
      std::vector<std::int8_t> x;
      for (int v = -128; v <= m; ++v) x.push_back(static_cast<std::int8_t>(v));
      const auto y = RunShiftmax(p, static_cast<std::int64_t>(x.size()), x);
      std::int64_t sum = 0;
      for (std::size_t j = 0; j < y.size(); ++j) {
        ASSERT_LE(y[j], 32767);
        if (j > 0) {
          ASSERT_GE(y[j], y[j - 1]) << "monotonic in x";
        }
        sum += y[j];
      }
      ASSERT_LE(sum, 32767) << "a row sums to at most 2^15 - 1 with DIV = 2^31 - 1";
    }
  }
}

// Tier (b): against float softmax on realistic logits (normal, sigma 2.5, quantized with the
// float32 scale s). The error is the shift-exp approximation (2^f ~ 1 + f/2, 1.4375 ~ log2 e);
// it grows with s. Measured max |p_int - p_float|: 0.0013 (s 0.02), 0.015 (s 0.05),
// 0.055 (s 0.08), 0.071 (s 0.15). Bounds: 0.02 for s <= 0.05, 0.08 up to 0.15.
TEST(Shiftmax, ApproximatesFloatSoftmaxWithinStatedBounds) {
  std::mt19937 rng(3);
  for (float s : {0.02f, 0.05f, 0.08f, 0.15f}) {
    const double bound = s <= 0.05f ? 0.02 : 0.08;
    ShiftmaxParams p{static_cast<std::int64_t>(std::floor(-1.0f / s)), 15, 16, kDivDefault};
    std::normal_distribution<float> nd(0.0f, 2.5f);
    double worst = 0;
    for (int r = 0; r < 100; ++r) {
      std::vector<std::int8_t> x(197);
      for (auto& v : x) {
        v = static_cast<std::int8_t>(std::clamp(static_cast<int>(std::nearbyint(nd(rng) / s)), -128, 127));
      }
      const auto y = RunShiftmax(p, 197, x);
      const double mx = *std::max_element(x.begin(), x.end()) * static_cast<double>(s);
      double z = 0;
      for (auto v : x) z += std::exp(v * static_cast<double>(s) - mx);
      for (int j = 0; j < 197; ++j) {
        const double ref = std::exp(x[j] * static_cast<double>(s) - mx) / z;
        worst = std::max(worst, std::fabs(y[j] / 32768.0 - ref));
      }
    }
    EXPECT_LT(worst, bound) << "s=" << s;
  }
}

// The op tabulates the shift-exp; this evaluates the contract per element, independently.
TEST(Shiftmax, EqualsPerElementEvaluationOfTheContract) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> v(-128, 127);
  for (std::int64_t x0 : {-1, -13, -100, -1000}) {
    for (std::int64_t div : {kDivDefault, kDivFloat32}) {
      const ShiftmaxParams p{x0, 15, 16, div};
      std::vector<std::int8_t> x(5 * 197);
      for (auto& e : x) e = static_cast<std::int8_t>(v(rng));
      const auto y = RunShiftmax(p, 197, x);
      for (int r = 0; r < 5; ++r) {
        const std::int64_t xm = *std::max_element(x.begin() + r * 197, x.begin() + (r + 1) * 197);
        std::int64_t sum = 0;
        for (int j = 0; j < 197; ++j) sum += ShiftExpSaturating(x[r * 197 + j] - xm, x0, 15);
        const std::int64_t f = div / std::min(sum, div);
        for (int j = 0; j < 197; ++j) {
          ASSERT_EQ(y[r * 197 + j], (ShiftExpSaturating(x[r * 197 + j] - xm, x0, 15) * f) >> 16);
        }
      }
    }
  }
}

// Long rows cross the op's partial-sum chunks (4096 terms), and large |x0| * 2^n make single
// terms reach div, so the sum saturates inside a chunk, at a chunk boundary, or never.
TEST(Shiftmax, LongRowsAndSaturatingTermsEqualPerElementEvaluation) {
  std::mt19937 rng(21);
  for (std::int64_t cols : {1, 4095, 4096, 4097, 9000}) {
    for (std::int64_t x0 : std::vector<std::int64_t>{-1, -7, -40000, -((1 << 20) - 1)}) {
      for (int n : {0, 12, 15, 30}) {
        ShiftmaxParams p{x0, n, 16, kDivDefault};
        try {
          CheckShiftmaxParams(p);
        } catch (const InputError&) {
          continue;  // not a legal combination
        }
        std::uniform_int_distribution<int> v(-128, 127);
        std::vector<std::int8_t> x(2 * cols);
        for (auto& e : x) e = static_cast<std::int8_t>(v(rng) / (n == 0 ? 1 : 16));
        const auto y = RunShiftmax(p, cols, x);
        for (std::int64_t r = 0; r < 2; ++r) {
          const auto row = x.begin() + r * cols;
          const std::int64_t xm = *std::max_element(row, row + cols);
          std::int64_t sum = 0;  // the contract's sequential clamp
          for (std::int64_t j = 0; j < cols; ++j) {
            sum = std::min(sum + ShiftExpSaturating(row[j] - xm, x0, n), p.div);
          }
          const std::int64_t f = p.div / sum;
          for (std::int64_t j = 0; j < cols; ++j) {
            ASSERT_EQ(y[r * cols + j], (ShiftExpSaturating(row[j] - xm, x0, n) * f) >> 16)
                << "cols=" << cols << " x0=" << x0 << " n=" << n << " j=" << j;
          }
        }
      }
    }
  }
}

TEST(CheckShiftmaxParams, RejectsOutOfRangeParams) {
  EXPECT_NO_THROW(CheckShiftmaxParams({-47, 15, 16, kDivDefault}));
  EXPECT_NO_THROW(CheckShiftmaxParams({-47, 15, 8, kDivFloat32}));
  EXPECT_THROW(CheckShiftmaxParams({0, 15, 16, kDivDefault}), InputError);   // x0 must be < 0
  EXPECT_THROW(CheckShiftmaxParams({5, 15, 16, kDivDefault}), InputError);
  EXPECT_THROW(CheckShiftmaxParams({-47, 31, 16, kDivDefault}), InputError);
  EXPECT_THROW(CheckShiftmaxParams({-47, 15, 17, kDivDefault}), InputError);
  EXPECT_THROW(CheckShiftmaxParams({-47, 15, 16, kDivFloat32 + 1}), InputError);
  EXPECT_THROW(CheckShiftmaxParams({-47, 15, 16, 0}), InputError);
  // |x0| * 2^15 >> 16 must fit uint16: |x0| up to 131071.
  EXPECT_NO_THROW(CheckShiftmaxParams({-131071, 15, 16, kDivDefault}));
  EXPECT_THROW(CheckShiftmaxParams({-131072, 15, 16, kDivDefault}), InputError);
}

}  // namespace
}  // namespace intvit::model
