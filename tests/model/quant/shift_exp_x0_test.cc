#include "model/quant/shift_exp_x0.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr std::int64_t kTwoPow31 = std::int64_t{1} << 31;

TEST(ShiftmaxX0FromScale, DividesInFloat32NotInDouble) {
  // 0.01f = 5368709 * 2^-29 = 0.0099999997765. -1/s = -100.0000022352; float32 numbers near
  // 100 are 2^-17 = 7.6e-6 apart, so RN32 gives -100.0 exactly and floor gives -100.
  EXPECT_EQ(ShiftmaxX0FromScale(0.01f), -100);
  // Double arithmetic keeps -100.0000022 and floors to -101 (what TVM_benchmark computes).
  EXPECT_EQ(std::floor(-1.0 / static_cast<double>(0.01f)), -101.0);
}

TEST(ShiftmaxX0FromScale, PowerOfTwoScalesGiveExactIntegers) {
  EXPECT_EQ(ShiftmaxX0FromScale(1.0f), -1);
  EXPECT_EQ(ShiftmaxX0FromScale(0.5f), -2);
  EXPECT_EQ(ShiftmaxX0FromScale(0.125f), -8);
  EXPECT_EQ(ShiftmaxX0FromScale(0x1p-20f), -(std::int64_t{1} << 20));
}

TEST(ShiftmaxX0FromScale, FractionalQuotientFloorsTowardMinusInfinity) {
  // 0.08f = 0.0799999982: -1/s = -12.50000028 -> RN32 -12.5 -> floor -13.
  EXPECT_EQ(ShiftmaxX0FromScale(0.08f), -13);
  // 0.3f: -1/s = -3.333 -> -4.
  EXPECT_EQ(ShiftmaxX0FromScale(0.3f), -4);
}

TEST(ShiftmaxX0FromScale, ScaleAboveOneGivesMinusOne) {
  EXPECT_EQ(ShiftmaxX0FromScale(3.0f), -1);
  EXPECT_EQ(ShiftmaxX0FromScale(1e30f), -1);
  // -1/FLT_MAX is a negative subnormal, not zero: floor gives -1.
  EXPECT_EQ(ShiftmaxX0FromScale(std::numeric_limits<float>::max()), -1);
}

TEST(ShiftmaxX0FromScale, SmallestScaleGivesMinusTwoPow31) {
  EXPECT_EQ(ShiftmaxX0FromScale(0x1p-31f), -kTwoPow31);
  // One float32 below 2^-31: -1/s = -2^31 * (1 + 2^-24 + ...) rounds to -(2^31 + 256).
  EXPECT_THROW(ShiftmaxX0FromScale(std::nextafter(0x1p-31f, 0.0f)), InputError);
  EXPECT_THROW(ShiftmaxX0FromScale(0x1p-32f), InputError);
}

TEST(ShiftmaxX0FromScale, NonPositiveOrNonFiniteScaleThrows) {
  EXPECT_THROW(ShiftmaxX0FromScale(0.0f), InputError);
  EXPECT_THROW(ShiftmaxX0FromScale(-0.0f), InputError);
  EXPECT_THROW(ShiftmaxX0FromScale(-0.01f), InputError);
  EXPECT_THROW(ShiftmaxX0FromScale(std::numeric_limits<float>::quiet_NaN()), InputError);
  EXPECT_THROW(ShiftmaxX0FromScale(std::numeric_limits<float>::infinity()), InputError);
}

// Against exact math: RN32 can move -1/s onto an integer just above it, never below one, so x0
// is floor(-1/s) or floor(-1/s) + 1 (the latter as for s = 0.01f).
TEST(ShiftmaxX0FromScale, IsFloorOfExactQuotientOrOneAbove) {
  std::mt19937 rng(99);
  std::uniform_real_distribution<float> log2_scale(-20.0f, 2.0f);
  int above = 0;
  for (int i = 0; i < 100000; ++i) {
    const float s = std::exp2(log2_scale(rng));
    const std::int64_t exact_floor = static_cast<std::int64_t>(std::floor(-1.0 / s));
    const std::int64_t x0 = ShiftmaxX0FromScale(s);
    ASSERT_TRUE(x0 == exact_floor || x0 == exact_floor + 1) << "s = " << s << ", x0 = " << x0;
    above += x0 == exact_floor + 1;
  }
  EXPECT_GT(above, 0);  // the float32 division matters on real scales
}

TEST(ShiftGeluX0FromScale, FoldsFloat32FactorIntoTheScale) {
  // 0.01f * 1.702f = 0.01702: -1/0.01702 = -58.75 -> -59 (no rounding subtlety here).
  EXPECT_EQ(ShiftGeluX0FromScale(0.01f), -59);
  // 0.5f * 1.702f = 0.851: -1.175 -> -2.
  EXPECT_EQ(ShiftGeluX0FromScale(0.5f), -2);
  // 1.0f: -1/1.702 = -0.5875 -> -1.
  EXPECT_EQ(ShiftGeluX0FromScale(1.0f), -1);
}

TEST(ShiftGeluX0FromScale, Float32ProductChangesX0AgainstDouble) {
  // s = 0x1.810d88p-6 = 3154353 * 2^-27 = 0.0235017613; 1.702f = 14277411 * 2^-23.
  // Exact s * 1.702f = 45035994220083 * 2^-50 = 0.03999999818 = 10737417.75 * 2^-28; float32
  // numbers there are 2^-28 apart, so RN32 gives 10737418 * 2^-28 = 0.0399999991 (= 0.04f).
  // -1 / 0.0399999991 = -25.00000056; float32 numbers near 25 are 2^-19 = 1.9e-6 apart, so the
  // quotient rounds to -25.0 and x0 = -25.
  const float s = 0x1.810d88p-6f;
  EXPECT_EQ(ShiftGeluX0FromScale(s), -25);
  // In double, s * 1.702 = 0.03999999766 and -1 / that = -25.0000014622 -> -26.
  EXPECT_EQ(std::floor(-1.0 / (static_cast<double>(s) * 1.702)), -26.0);
  // Even with the double product, a float32 division still gives -26: the product rounding
  // alone moves x0 here.
  EXPECT_EQ(std::floor(static_cast<float>(-1.0 / (static_cast<double>(s) * 1.702))), -26.0f);
}

TEST(ShiftGeluX0FromScale, SmallestScaleStaysWithinTwoPow31) {
  // 2^-31 * 1.702f = 14277411 * 2^-54 exactly; -2^54 / 14277411 = -1261741257.53; float32
  // numbers in [2^30, 2^31) are 128 apart: -1261741184 or -1261741312, and .53 + 73 > 64 picks
  // -1261741312, already an integer.
  EXPECT_EQ(ShiftGeluX0FromScale(0x1p-31f), -1261741312);
  // 2^-32: -2^55 / 14277411 = -2.52e9 < -2^31.
  EXPECT_THROW(ShiftGeluX0FromScale(0x1p-32f), InputError);
}

TEST(ShiftGeluX0FromScale, InvalidScaleThrows) {
  EXPECT_THROW(ShiftGeluX0FromScale(0.0f), InputError);
  EXPECT_THROW(ShiftGeluX0FromScale(-1.0f), InputError);
  EXPECT_THROW(ShiftGeluX0FromScale(std::numeric_limits<float>::quiet_NaN()), InputError);
  EXPECT_THROW(ShiftGeluX0FromScale(std::numeric_limits<float>::infinity()), InputError);
  // FLT_MAX * 1.702f overflows to +inf in float32.
  EXPECT_THROW(ShiftGeluX0FromScale(std::numeric_limits<float>::max()), InputError);
}

TEST(ShiftGeluX0FromScale, EqualsShiftmaxX0OfTheFloat32SigmoidScale) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> log2_scale(-20.0f, 2.0f);
  for (int i = 0; i < 100000; ++i) {
    const float s = std::exp2(log2_scale(rng));
    const volatile float s_sig = s * 1.702f;  // one float32 product, as in IntGELU
    ASSERT_EQ(ShiftGeluX0FromScale(s), ShiftmaxX0FromScale(s_sig)) << "s = " << s;
  }
}

}  // namespace
}  // namespace intvit::model
