#include "model/arith/shift_exp.h"

#include <gtest/gtest.h>

#include <cmath>

namespace intvit::model {
namespace {

// x0 = -100 is floorf(-1/0.01f): one unit of t is 0.01, so t = -100 is x = -1.0.
TEST(ShiftExpSaturating, HandDerivedShiftmaxValues) {
  // t = 0: t' = 0, q = 0, r = 0, (0 + 200) << 15 >> 1 = 100 * 2^15.
  EXPECT_EQ(ShiftExpSaturating(0, -100, 15), 3276800);
  // t = -100: t' = -100 - 50 + 7 = -143; q = 1; r = -43; (157 << 14) >> 1 = 1286144.
  EXPECT_EQ(ShiftExpSaturating(-100, -100, 15), 1286144);
  // t = -255: t' = -255 - 128 + 16 = -367; q = 3; r = -67; (133 << 12) >> 1 = 272384.
  EXPECT_EQ(ShiftExpSaturating(-255, -100, 15), 272384);
  // t = -1: t' = -1 - 1 + 1 = -1; q = floor(-1/-100) = 0; r = -1; (199 << 15) >> 1 = 3260416.
  EXPECT_EQ(ShiftExpSaturating(-1, -100, 15), 3260416);
}

TEST(ShiftExpSaturating, ClampsAtMinusNTimesX0) {
  // x0 = -5, n = 15: t' = -143 is clamped to -75, q = 15, r = 0, (10 << 0) >> 1 = 5.
  EXPECT_EQ(ShiftExpSaturating(-100, -5, 15), 5);
}

TEST(ShiftExpSaturating, PositiveArgumentOfShiftGelu) {
  // e^(-xmax) for xmax = -10 (an all-negative row), x0 = -100, n = 23:
  // t' = 10 + 5 - 0 = 15; q = floor(15/-100) = -1; r = 15 - 100 = -85;
  // ((-85 + 200) << 24) >> 1 = 115 * 2^23.
  EXPECT_EQ(ShiftExpSaturating(10, -100, 23), 115 * (std::int64_t{1} << 23));
  // A far-negative row: the shift n - q is huge, so the value saturates at the cap.
  EXPECT_EQ(ShiftExpSaturating(128, -1, 23), kShiftExpCap);
  EXPECT_EQ(ShiftExpSaturating(127, -3, 23), kShiftExpCap);
}

TEST(ShiftExpSaturating, EveryInt8DifferenceIsPositiveAndMonotonic) {
  for (std::int64_t x0 : {-1, -2, -7, -13, -47, -100, -250, -1000}) {
    for (int n : {15, 23}) {
      std::int64_t prev = 0;
      for (std::int64_t t = -255; t <= 0; ++t) {
        const std::int64_t e = ShiftExpSaturating(t, x0, n);
        ASSERT_GE(e, 1) << "t=" << t << " x0=" << x0;
        ASSERT_GE(e, prev) << "t=" << t << " x0=" << x0;
        ASSERT_LE(e, (-x0) << n);
        prev = e;
      }
      EXPECT_EQ(prev, (-x0) << n);  // t = 0 is exactly 1.0
    }
  }
}

// Tier (b): the shift-exp approximates exp(t*s) * 2^n / s; 2^f ~ 1 + f/2 and 1.4375 ~ log2(e)
// bound the relative error. Measured max on this range: 7.56 %; the bound is 8 %.
TEST(ShiftExpSaturating, ApproximatesExpWithinEightPercent) {
  const std::int64_t x0 = -100;  // s = 0.01
  const int n = 15;
  for (std::int64_t t = -300; t <= 0; ++t) {
    const double want = std::exp(static_cast<double>(t) * 0.01) * 100.0 * std::ldexp(1.0, n);
    const double got = static_cast<double>(ShiftExpSaturating(t, x0, n));
    ASSERT_LT(std::fabs(got - want) / want, 0.08) << "t=" << t;
  }
}

}  // namespace
}  // namespace intvit::model
