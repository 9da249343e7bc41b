#include "model/quant/dyadic_from_ratio.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "model/arith/dyadic.h"
#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr std::int64_t kTwoPow30 = std::int64_t{1} << 30;
constexpr std::int64_t kTwoPow31 = std::int64_t{1} << 31;

TEST(DyadicFromRatio, ThreeQuartersGivesMantissaTimesTwoPow31) {
  // frexp(0.75) = (0.75, 0): m = 0.75 * 2^31 = 3 * 2^29, e = 31 - 0.
  EXPECT_EQ(DyadicFromRatio(0.75), (Dyadic{1610612736, 31}));
}

TEST(DyadicFromRatio, OneGivesTwoPow30WithShift30) {
  // frexp(1.0) = (0.5, 1): m = 0.5 * 2^31 = 2^30, e = 31 - 1.
  EXPECT_EQ(DyadicFromRatio(1.0), (Dyadic{kTwoPow30, 30}));
}

TEST(DyadicFromRatio, RatioAboveOneShiftsLess) {
  // frexp(3.0) = (0.75, 2): m = 3 * 2^29, e = 29.
  EXPECT_EQ(DyadicFromRatio(3.0), (Dyadic{1610612736, 29}));
}

TEST(DyadicFromRatio, PowersOfTwoGiveTwoPow30AndShiftDownToLeftShifts) {
  // frexp(2^k) = (0.5, k + 1): m = 2^30, e = 30 - k; 2^30 gives e = 0, 2^31 a left shift by 1.
  for (int k = -90; k <= 92; ++k) {
    EXPECT_EQ(DyadicFromRatio(std::ldexp(1.0, k)), (Dyadic{kTwoPow30, 30 - k})) << "k = " << k;
  }
  EXPECT_EQ(DyadicFromRatio(1073741824.0), (Dyadic{kTwoPow30, 0}));
  EXPECT_EQ(DyadicFromRatio(2147483648.0), (Dyadic{kTwoPow30, -1}));
}

TEST(DyadicFromRatio, InexactMantissaRoundsToNearest) {
  // frexp(0.1) = (0.8, -3); 0.8 * 2^31 = 1717986918.4 -> 1717986918, e = 34.
  EXPECT_EQ(DyadicFromRatio(0.1), (Dyadic{1717986918, 34}));
  // frexp(1/3) = (2/3, -1); 2/3 * 2^31 = 1431655765.33 -> 1431655765, e = 32.
  EXPECT_EQ(DyadicFromRatio(1.0 / 3.0), (Dyadic{1431655765, 32}));
}

TEST(DyadicFromRatio, TiesRoundAwayFromZero) {
  // 0.5 + 2^-32: frexp = (0.5 + 2^-32, 0); mant * 2^31 = 2^30 + 0.5 exactly. Half away from zero
  // gives 2^30 + 1; half to even would give 2^30.
  const double tie = 0.5 + std::ldexp(1.0, -32);
  EXPECT_EQ(DyadicFromRatio(tie), (Dyadic{1073741825, 31}));
  // Negative: -(2^30 + 0.5) -> -(2^30 + 1); half toward plus infinity would give -2^30.
  EXPECT_EQ(DyadicFromRatio(-tie), (Dyadic{-1073741825, 31}));
  // 0.5 + 3 * 2^-32: 2^30 + 1.5 -> 2^30 + 2 (away from zero and to even agree here).
  EXPECT_EQ(DyadicFromRatio(0.5 + 3 * std::ldexp(1.0, -32)), (Dyadic{1073741826, 31}));
}

TEST(DyadicFromRatio, MantissaNearOneGivesTwoPow31) {
  // 1 - 2^-40: frexp = (1 - 2^-40, 0); mant * 2^31 = 2^31 - 2^-9 -> 2^31, kept as is.
  EXPECT_EQ(DyadicFromRatio(1.0 - std::ldexp(1.0, -40)), (Dyadic{kTwoPow31, 31}));
  EXPECT_EQ(DyadicFromRatio(-(1.0 - std::ldexp(1.0, -40))), (Dyadic{-kTwoPow31, 31}));
  // 1 - 2^-32: mant * 2^31 = 2^31 - 0.5, a tie, which goes away from zero to 2^31.
  EXPECT_EQ(DyadicFromRatio(1.0 - std::ldexp(1.0, -32)), (Dyadic{kTwoPow31, 31}));
  // 1 - 2^-31: mant * 2^31 = 2^31 - 1 exactly.
  EXPECT_EQ(DyadicFromRatio(1.0 - std::ldexp(1.0, -31)), (Dyadic{kTwoPow31 - 1, 31}));
  // 6 * (1 - 2^-40) = 0.75 * 2^3 * (1 - 2^-40): m = 0.75 * 2^31 rounded = 1610612736, e = 28.
  EXPECT_EQ(DyadicFromRatio(6.0 * (1.0 - std::ldexp(1.0, -40))), (Dyadic{1610612736, 28}));
}

TEST(DyadicFromRatio, NegativeRatioGivesNegativeMantissa) {
  EXPECT_EQ(DyadicFromRatio(-0.75), (Dyadic{-1610612736, 31}));
  // frexp(-0.3) = (-0.6, -1); -0.6 * 2^31 = -1288490188.8 -> -1288490189, e = 32.
  EXPECT_EQ(DyadicFromRatio(-0.3), (Dyadic{-1288490189, 32}));
}

TEST(DyadicFromRatio, ZeroGivesZeroMultiplier) {
  EXPECT_EQ(DyadicFromRatio(0.0), (Dyadic{0, 0}));
  EXPECT_EQ(DyadicFromRatio(-0.0), (Dyadic{0, 0}));
}

TEST(DyadicFromRatio, ShiftRangeEdgesAreAccepted) {
  // 2^92: frexp = (0.5, 93), e = -62 = kDyadicMinE.
  EXPECT_EQ(DyadicFromRatio(std::ldexp(1.0, 92)), (Dyadic{kTwoPow30, -62}));
  // The largest double below 2^93: mant = 1 - 2^-53 -> m = 2^31, e = -62.
  EXPECT_EQ(DyadicFromRatio(std::nextafter(std::ldexp(1.0, 93), 0.0)), (Dyadic{kTwoPow31, -62}));
  // 2^-96: frexp = (0.5, -95), e = 126 = kDyadicMaxE.
  EXPECT_EQ(DyadicFromRatio(std::ldexp(1.0, -96)), (Dyadic{kTwoPow30, 126}));
  EXPECT_EQ(DyadicFromRatio(-std::ldexp(1.0, -96)), (Dyadic{-kTwoPow30, 126}));
}

TEST(DyadicFromRatio, ShiftOutsideRangeThrows) {
  EXPECT_THROW(DyadicFromRatio(std::ldexp(1.0, 93)), InputError);  // e = -63
  EXPECT_THROW(DyadicFromRatio(-std::ldexp(1.0, 93)), InputError);
  EXPECT_THROW(DyadicFromRatio(std::ldexp(1.0, -97)), InputError);  // e = 127
  EXPECT_THROW(DyadicFromRatio(std::numeric_limits<double>::max()), InputError);
  EXPECT_THROW(DyadicFromRatio(std::numeric_limits<double>::denorm_min()), InputError);
  // Just below 2^-96 the mantissa rounds to 2^31 but e = 127 is already out of range.
  EXPECT_THROW(DyadicFromRatio(std::nextafter(std::ldexp(1.0, -96), 0.0)), InputError);
}

TEST(DyadicFromRatio, NonFiniteRatioThrows) {
  EXPECT_THROW(DyadicFromRatio(std::numeric_limits<double>::quiet_NaN()), InputError);
  EXPECT_THROW(DyadicFromRatio(std::numeric_limits<double>::infinity()), InputError);
  EXPECT_THROW(DyadicFromRatio(-std::numeric_limits<double>::infinity()), InputError);
}

TEST(DyadicFromRatio, RatiosWithAtMost31SignificantBitsAreExact) {
  // r = k * 2^j with 2^30 <= k < 2^31 is m * 2^-e exactly: m = k, e = -j.
  std::mt19937_64 rng(20260101);
  std::uniform_int_distribution<std::int64_t> mant(kTwoPow30, kTwoPow31 - 1);
  std::uniform_int_distribution<int> shift(-120, 60);
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t k = mant(rng);
    const int j = shift(rng);
    EXPECT_EQ(DyadicFromRatio(std::ldexp(static_cast<double>(k), j)), (Dyadic{k, -j}));
  }
}

TEST(DyadicFromRatio, ResultIsAValidDyadicWithNormalizedMantissa) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.5, 1.0);
  std::uniform_int_distribution<int> exponent(-95, 93);
  for (int i = 0; i < 100000; ++i) {
    const double r = std::ldexp(unit(rng), exponent(rng)) * (i % 2 == 0 ? 1.0 : -1.0);
    const Dyadic d = DyadicFromRatio(r);
    EXPECT_TRUE(IsValidDyadic(d)) << r;
    EXPECT_GE(std::abs(d.m), kTwoPow30) << r;
    EXPECT_LE(std::abs(d.m), kTwoPow31) << r;
    EXPECT_EQ(d.m < 0, r < 0) << r;
  }
}

// Tier (b) against float: |m * 2^-e - r| <= 2^-e / 2 <= |r| * 2^-31 (because |m| >= 2^30), so
// for |x * r| <= 2^30 the multiplier is off by at most 0.5 and the final rounding by 0.5 more.
TEST(DyadicFromRatio, RequantizedValueIsWithinOneOfExactProduct) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> log2_ratio(-40.0, 20.0);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const double r = std::exp2(log2_ratio(rng)) * (i % 3 == 0 ? -1.0 : 1.0);
    const double x_max = std::min(std::ldexp(1.0, 31), std::ldexp(1.0, 30) / std::fabs(r));
    const auto x = static_cast<std::int64_t>(unit(rng) * x_max);
    const long double exact = static_cast<long double>(x) * static_cast<long double>(r);
    const std::int64_t got = DyadicMultiplyHalfEven(x, DyadicFromRatio(r));
    ASSERT_LE(std::fabs(static_cast<long double>(got) - exact), 1.0L)
        << "first mismatch: x = " << x << ", r = " << r;
    ++checked;
  }
  EXPECT_EQ(checked, 200000);
}

TEST(DyadicFromScales, UsesTheDoubleQuotientOfTheFloatScales) {
  // 0.1f = 13421773 * 2^-27, 0.3f = 5033165 * 2^-24, ratio = 13421773 / 40265320 = 0.333333325
  // in [0.25, 0.5): ex = -1, mant * 2^31 = ratio * 2^32 = 1431655729.78 -> 1431655730, e = 32.
  // The float32 quotient RN32(0.1f / 0.3f) = 0.333333313 would give m = 1431655680.
  EXPECT_EQ(DyadicFromScales(0.1f, 0.3f), (Dyadic{1431655730, 32}));
}

TEST(DyadicFromScales, ExactRatiosGiveTheirMultiplier) {
  EXPECT_EQ(DyadicFromScales(0.5f, 0.25f), (Dyadic{kTwoPow30, 29}));  // ratio 2
  EXPECT_EQ(DyadicFromScales(0.75f, 1.0f), (Dyadic{1610612736, 31}));
}

TEST(DyadicFromScales, NegativeInputScaleGivesNegativeMultiplier) {
  // A LayerNorm output scale is negative where gamma is.
  EXPECT_EQ(DyadicFromScales(-0.75f, 1.0f), (Dyadic{-1610612736, 31}));
}

TEST(DyadicFromScales, InvalidScalesThrow) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_THROW(DyadicFromScales(1.0f, 0.0f), InputError);
  EXPECT_THROW(DyadicFromScales(nan, 1.0f), InputError);
  EXPECT_THROW(DyadicFromScales(1.0f, nan), InputError);
  EXPECT_THROW(DyadicFromScales(inf, 1.0f), InputError);
  EXPECT_THROW(DyadicFromScales(1.0f, inf), InputError);
  // 2^-40 / 2^60 = 2^-100: e = 130 is out of range.
  EXPECT_THROW(DyadicFromScales(0x1p-40f, 0x1p60f), InputError);
}

}  // namespace
}  // namespace intvit::model
