#include "model/arith/dyadic.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

constexpr Dyadic kHalf{std::int64_t{1} << 30, 31};  // 0.5

TEST(DyadicMultiplyHalfEven, HalvingRoundsTiesToEven) {
  EXPECT_EQ(DyadicMultiplyHalfEven(3, kHalf), 2);    // 1.5
  EXPECT_EQ(DyadicMultiplyHalfEven(5, kHalf), 2);    // 2.5
  EXPECT_EQ(DyadicMultiplyHalfEven(-3, kHalf), -2);  // -1.5
  EXPECT_EQ(DyadicMultiplyHalfEven(-5, kHalf), -2);  // -2.5
  EXPECT_EQ(DyadicMultiplyHalfEven(4, kHalf), 2);
}

TEST(DyadicMultiplyHalfUp, HalvingRoundsTiesUp) {
  EXPECT_EQ(DyadicMultiplyHalfUp(3, kHalf), 2);    // 1.5
  EXPECT_EQ(DyadicMultiplyHalfUp(5, kHalf), 3);    // 2.5
  EXPECT_EQ(DyadicMultiplyHalfUp(-3, kHalf), -1);  // -1.5
  EXPECT_EQ(DyadicMultiplyHalfUp(-5, kHalf), -2);  // -2.5
}

TEST(DyadicMultiply, MEqualTwoPow31IsTheIdentityAtE31) {
  const Dyadic one{std::int64_t{1} << 31, 31};  // batch_frexp's mant >= 1 - 2^-32 edge
  for (std::int64_t x : testing::SignedEdgeValues(32)) {
    ASSERT_EQ(DyadicMultiplyHalfEven(x, one), x);
    ASSERT_EQ(DyadicMultiplyHalfUp(x, one), x);
  }
}

TEST(DyadicMultiply, NegativeMultiplierFromNegativeGamma) {
  const Dyadic minus_half{-(std::int64_t{1} << 30), 31};
  EXPECT_EQ(DyadicMultiplyHalfEven(3, minus_half), -2);  // -1.5 -> -2 (even)
  EXPECT_EQ(DyadicMultiplyHalfUp(3, minus_half), -1);    // -1.5 -> -1 (up)
  EXPECT_EQ(DyadicMultiplyHalfEven(-5, minus_half), 2);  // 2.5 -> 2
}

TEST(DyadicMultiply, RealisticLinearRequant) {
  // 123456 * 1518500250 / 2^41 = 85.2505... -> 85 (worked out with exact integer arithmetic).
  const Dyadic d{1518500250, 41};
  EXPECT_EQ(DyadicMultiplyHalfEven(123456, d), 85);
  EXPECT_EQ(DyadicMultiplyHalfEven(-123456, d), -85);
}

TEST(DyadicMultiply, ProductBeyondInt64IsExact) {
  // A LayerNorm output of 2^35 times m = 2^31 is 2^66; shifted by 60 it is exactly 64.
  const std::int64_t x = std::int64_t{1} << 35;
  EXPECT_EQ(DyadicMultiplyHalfEven(x, Dyadic{std::int64_t{1} << 31, 60}), 64);
  // (2^35 + 1) * 2^31 / 2^66 = 0.5 + 2^-35 -> 1 (not a tie).
  EXPECT_EQ(DyadicMultiplyHalfEven(x + 1, Dyadic{std::int64_t{1} << 31, 66}), 1);
  // 2^35 * 2^31 / 2^67 = 0.5 exactly -> 0 (even) or 1 (up).
  EXPECT_EQ(DyadicMultiplyHalfEven(x, Dyadic{std::int64_t{1} << 31, 67}), 0);
  EXPECT_EQ(DyadicMultiplyHalfUp(x, Dyadic{std::int64_t{1} << 31, 67}), 1);
}

TEST(DyadicMultiply, NonPositiveExponentShiftsLeftAndSaturates) {
  EXPECT_EQ(DyadicMultiplyHalfEven(5, Dyadic{3, -2}), 60);
  EXPECT_EQ(DyadicMultiplyHalfEven(5, Dyadic{3, 0}), 15);
  EXPECT_EQ(DyadicMultiplyHalfEven(std::int64_t{1} << 40, Dyadic{std::int64_t{1} << 31, -62}),
            INT64_MAX);
  EXPECT_EQ(DyadicMultiplyHalfUp(-(std::int64_t{1} << 40), Dyadic{std::int64_t{1} << 31, -62}),
            INT64_MIN);
}

TEST(DyadicMultiply, WithRoundingDispatchesToTheNamedFunction) {
  EXPECT_EQ(DyadicMultiplyWithRounding(5, kHalf, Rounding::kHalfEven), 2);
  EXPECT_EQ(DyadicMultiplyWithRounding(5, kHalf, Rounding::kHalfUp), 3);
  EXPECT_EQ(RoundingName(Rounding::kHalfEven), "half_even");
  EXPECT_EQ(RoundingName(Rounding::kHalfUp), "half_up");
}

TEST(DyadicMultiply, SeededRandomMatchesRoundedRational) {
  // x * m / 2^e is exact in double when |x * m| < 2^53: |x| < 2^21, |m| <= 2^31.
  const auto xs = testing::RandomValues(7, 2000, -(1 << 20), 1 << 20);
  const auto ms = testing::RandomValues(8, 2000, -(std::int64_t{1} << 31), std::int64_t{1} << 31);
  const auto es = testing::RandomValues(9, 2000, 1, 60);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const Dyadic d{ms[i], static_cast<int>(es[i])};
    const double v = std::ldexp(static_cast<double>(xs[i] * ms[i]), -d.e);
    ASSERT_EQ(DyadicMultiplyHalfEven(xs[i], d), static_cast<std::int64_t>(std::nearbyint(v)));
    ASSERT_EQ(DyadicMultiplyHalfUp(xs[i], d), static_cast<std::int64_t>(std::floor(v + 0.5)));
  }
}

TEST(IsValidDyadic, BoundsOfMAndE) {
  EXPECT_TRUE(IsValidDyadic(Dyadic{std::int64_t{1} << 31, 31}));
  EXPECT_TRUE(IsValidDyadic(Dyadic{-(std::int64_t{1} << 31), kDyadicMaxE}));
  EXPECT_FALSE(IsValidDyadic(Dyadic{(std::int64_t{1} << 31) + 1, 31}));
  EXPECT_FALSE(IsValidDyadic(Dyadic{1, kDyadicMaxE + 1}));
  EXPECT_FALSE(IsValidDyadic(Dyadic{1, kDyadicMinE - 1}));
}

}  // namespace
}  // namespace intvit::model
