#include "model/arith/div.h"

#include <gtest/gtest.h>

#include <cmath>

namespace intvit::model {
namespace {

TEST(DivFloor, RoundsTowardMinusInfinityForEverySignCombination) {
  EXPECT_EQ(DivFloor(7, 2), 3);
  EXPECT_EQ(DivFloor(-7, 2), -4);
  EXPECT_EQ(DivFloor(7, -2), -4);
  EXPECT_EQ(DivFloor(-7, -2), 3);
  EXPECT_EQ(DivFloor(-8, 2), -4);
  EXPECT_EQ(DivFloor(0, 5), 0);
  EXPECT_EQ(DivFloor(-143, -100), 1);  // the shift-exp q of a Shiftmax with x0 = -100
  EXPECT_EQ(DivFloor(15, -100), -1);   // a positive shift-exp argument (ShiftGELU e^-xmax)
  EXPECT_EQ(DivFloor(INT64_MIN, 1), INT64_MIN);
  EXPECT_EQ(DivFloor(INT64_MAX, -1), -INT64_MAX);
}

TEST(DivFloor, SmallDomainMatchesFloorOfExactQuotient) {
  for (std::int64_t a = -300; a <= 300; ++a) {
    for (std::int64_t b = -40; b <= 40; ++b) {
      if (b == 0) continue;
      ASSERT_EQ(DivFloor(a, b),
                static_cast<std::int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b))))
          << a << " / " << b;
    }
  }
}

TEST(RoundingDivHalfEven, TiesGoToEven) {
  EXPECT_EQ(RoundingDivHalfEven(5, 2), 2);    // 2.5
  EXPECT_EQ(RoundingDivHalfEven(7, 2), 4);    // 3.5
  EXPECT_EQ(RoundingDivHalfEven(-5, 2), -2);  // -2.5
  EXPECT_EQ(RoundingDivHalfEven(-7, 2), -4);  // -3.5
  EXPECT_EQ(RoundingDivHalfEven(3, 6), 0);    // 0.5
  EXPECT_EQ(RoundingDivHalfEven(9, 6), 2);    // 1.5
  EXPECT_EQ(RoundingDivHalfEven(15, 6), 2);   // 2.5
  EXPECT_EQ(RoundingDivHalfEven(10, 4), 2);   // the LayerNorm mean of [1,2,3,4]
}

TEST(RoundingDivHalfEven, NonTiesGoToNearest) {
  EXPECT_EQ(RoundingDivHalfEven(1, 3), 0);
  EXPECT_EQ(RoundingDivHalfEven(2, 3), 1);
  EXPECT_EQ(RoundingDivHalfEven(-2, 3), -1);
  EXPECT_EQ(RoundingDivHalfEven(-1, 3), 0);
  EXPECT_EQ(RoundingDivHalfEven(383, 192), 2);   // 1.995
  EXPECT_EQ(RoundingDivHalfEven(-383, 192), -2);
}

TEST(RoundingDivHalfEven, SmallDomainMatchesNearbyint) {
  for (std::int64_t a = -2000; a <= 2000; ++a) {
    for (std::int64_t b : {1, 2, 3, 4, 5, 6, 7, 8, 192, 384, 768}) {
      ASSERT_EQ(RoundingDivHalfEven(a, b),
                static_cast<std::int64_t>(std::nearbyint(static_cast<double>(a) / static_cast<double>(b))))
          << a << " / " << b;
    }
  }
}

}  // namespace
}  // namespace intvit::model
