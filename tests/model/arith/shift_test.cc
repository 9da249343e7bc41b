#include "model/arith/shift.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

TEST(ShiftRightFloor, RoundsTowardMinusInfinity) {
  EXPECT_EQ(ShiftRightFloor(5, 1), 2);
  EXPECT_EQ(ShiftRightFloor(-1, 1), -1);  // floor(-0.5)
  EXPECT_EQ(ShiftRightFloor(-3, 1), -2);  // floor(-1.5)
  EXPECT_EQ(ShiftRightFloor(-255, 4), -16);  // floor(-15.9375)
  EXPECT_EQ(ShiftRightFloor(INT64_MIN, 63), -1);
}

TEST(ShiftLeftSaturating, ExactInRangeSaturatesOutside) {
  EXPECT_EQ(ShiftLeftSaturating(3, 2), 12);
  EXPECT_EQ(ShiftLeftSaturating(-3, 2), -12);
  EXPECT_EQ(ShiftLeftSaturating(1, 62), std::int64_t{1} << 62);
  EXPECT_EQ(ShiftLeftSaturating(1, 63), INT64_MAX);   // 2^63 does not fit
  EXPECT_EQ(ShiftLeftSaturating(-1, 63), INT64_MIN);  // -2^63 does, exactly
  EXPECT_EQ(ShiftLeftSaturating(-(std::int64_t{1} << 62), 1), INT64_MIN);
  EXPECT_EQ(ShiftLeftSaturating((std::int64_t{1} << 62), 1), INT64_MAX);
  EXPECT_EQ(ShiftLeftSaturating(0, 127), 0);
  EXPECT_EQ(ShiftLeftSaturating(INT64_MAX, 1), INT64_MAX);
}

TEST(RoundingShiftRightHalfEven, TiesGoToEven) {
  EXPECT_EQ(RoundingShiftRightHalfEven(5, 1), 2);    // 2.5
  EXPECT_EQ(RoundingShiftRightHalfEven(7, 1), 4);    // 3.5
  EXPECT_EQ(RoundingShiftRightHalfEven(-5, 1), -2);  // -2.5
  EXPECT_EQ(RoundingShiftRightHalfEven(-7, 1), -4);  // -3.5
  EXPECT_EQ(RoundingShiftRightHalfEven(6, 2), 2);    // 1.5
  EXPECT_EQ(RoundingShiftRightHalfEven(10, 2), 2);   // 2.5
  EXPECT_EQ(RoundingShiftRightHalfEven(-6, 2), -2);  // -1.5
  EXPECT_EQ(RoundingShiftRightHalfEven(-10, 2), -2); // -2.5
  EXPECT_EQ(RoundingShiftRightHalfEven(1, 1), 0);    // 0.5
  EXPECT_EQ(RoundingShiftRightHalfEven(-1, 1), 0);   // -0.5
}

TEST(RoundingShiftRightHalfEven, NonTiesGoToNearest) {
  EXPECT_EQ(RoundingShiftRightHalfEven(11, 2), 3);   // 2.75
  EXPECT_EQ(RoundingShiftRightHalfEven(9, 2), 2);    // 2.25
  EXPECT_EQ(RoundingShiftRightHalfEven(-11, 2), -3); // -2.75
  EXPECT_EQ(RoundingShiftRightHalfEven(-9, 2), -2);  // -2.25
  EXPECT_EQ(RoundingShiftRightHalfEven(INT64_MAX, 62), 2);   // 1.99999...
  EXPECT_EQ(RoundingShiftRightHalfEven(INT64_MIN, 63), -1);
  EXPECT_EQ(RoundingShiftRightHalfEven(INT64_MIN, 126), 0);  // -2^-63 rounds to 0
}

TEST(RoundingShiftRightHalfEven, NonPositiveShiftIsSaturatingLeftShift) {
  EXPECT_EQ(RoundingShiftRightHalfEven(3, 0), 3);
  EXPECT_EQ(RoundingShiftRightHalfEven(3, -2), 12);
  EXPECT_EQ(RoundingShiftRightHalfEven(-3, -2), -12);
  EXPECT_EQ(RoundingShiftRightHalfEven(5, -62), INT64_MAX);
}

TEST(RoundingShiftRightHalfUp, TiesGoTowardPlusInfinity) {
  EXPECT_EQ(RoundingShiftRightHalfUp(5, 1), 3);     // 2.5
  EXPECT_EQ(RoundingShiftRightHalfUp(7, 1), 4);     // 3.5
  EXPECT_EQ(RoundingShiftRightHalfUp(-5, 1), -2);   // -2.5
  EXPECT_EQ(RoundingShiftRightHalfUp(-7, 1), -3);   // -3.5
  EXPECT_EQ(RoundingShiftRightHalfUp(-1, 1), 0);    // -0.5
  EXPECT_EQ(RoundingShiftRightHalfUp(11, 2), 3);    // 2.75
  EXPECT_EQ(RoundingShiftRightHalfUp(-11, 2), -3);  // -2.75
  EXPECT_EQ(RoundingShiftRightHalfUp(INT64_MAX, 1), std::int64_t{1} << 62);  // no overflow
  EXPECT_EQ(RoundingShiftRightHalfUp(3, -2), 12);
}

// The oracle: x / 2^e is exact in double for |x| < 2^53; nearbyint rounds ties to even in the
// default rounding mode, and floor(v + 0.5) is half-up.
TEST(RoundingShiftRight, AllInt16InputsAllSmallShiftsMatchExactRationalRounding) {
  for (int e = 1; e <= 20; ++e) {
    for (std::int64_t x = INT16_MIN; x <= INT16_MAX; ++x) {
      const double v = std::ldexp(static_cast<double>(x), -e);
      ASSERT_EQ(RoundingShiftRightHalfEven(x, e), static_cast<std::int64_t>(std::nearbyint(v)))
          << "x=" << x << " e=" << e;
      ASSERT_EQ(RoundingShiftRightHalfUp(x, e), static_cast<std::int64_t>(std::floor(v + 0.5)))
          << "x=" << x << " e=" << e;
    }
  }
}

// Properties that define the rounding, checked on the 64-bit edge set for every shift amount:
// |x - r*2^e| <= 2^(e-1), and on an exact tie r is even (half_even) or r*2^e > x (half_up).
TEST(RoundingShiftRight, EdgeSetEveryShiftSatisfiesTheRoundingDefinition) {
  for (std::int64_t x : testing::SignedEdgeValues(64)) {
    for (int e = 1; e <= 126; ++e) {
      for (bool even : {true, false}) {
        const std::int64_t r = even ? RoundingShiftRightHalfEven(x, e) : RoundingShiftRightHalfUp(x, e);
        const Int128 diff = Int128{x} - (Int128{r} << std::min(e, 126));
        const Int128 half = Int128{1} << (e - 1);
        const Int128 adiff = diff < 0 ? -diff : diff;
        ASSERT_LE(adiff, half) << "x=" << x << " e=" << e;
        if (adiff == half) {
          if (even) {
            ASSERT_EQ(r & 1, 0) << "x=" << x << " e=" << e;
          } else {
            ASSERT_LT(diff, 0) << "half_up must round a tie upward; x=" << x << " e=" << e;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace intvit::model
