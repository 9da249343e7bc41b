#include "model/quant/symmetric_quant.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// 1/127 = 2^-7 * (1 + 2^-7 + 2^-14 + 2^-21 + 2^-28 + ...); 23 fraction bits keep the first
// three terms and the rest is below half an ulp: RN32(1/127) = 0x1.020408p-7.
constexpr float kInv127 = 0x1.020408p-7f;

TEST(SymmetricScale, MapsTheLargerMagnitudeToTheTopLevel) {
  EXPECT_EQ(SymmetricScale(-1.0f, 0.5f, 8), kInv127);          // max(1, 0.5) / 127
  EXPECT_EQ(SymmetricScale(0.5f, 2.0f, 8), 0x1.020408p-6f);    // 2 / 127 (all positive)
  EXPECT_EQ(SymmetricScale(-2.0f, -1.0f, 8), 0x1.020408p-6f);  // all negative: -min wins
  // 16 bits: 16383.5 / 32767 = 0.5 exactly.
  EXPECT_EQ(SymmetricScale(-16383.5f, 0.0f, 16), 0.5f);
}

TEST(SymmetricScale, DividesOnceInFloat32) {
  // 9 / 127 = 0.0708661417 = 9511492.535 * 2^-27 -> 9511493 * 2^-27 = 0x1.22448ap-4.
  EXPECT_EQ(SymmetricScale(0.0f, 9.0f, 8), 0x1.22448ap-4f);
}

TEST(SymmetricScale, ClampsAtFloat32Epsilon) {
  EXPECT_EQ(SymmetricScale(0.0f, 0.0f, 8), 0x1p-23f);
  EXPECT_EQ(SymmetricScale(-1e-6f, 1e-6f, 8), 0x1p-23f);  // 1e-6 / 127 = 7.9e-9 < 2^-23
}

TEST(SymmetricScale, ThirtyTwoBitsDividesByTwoPow31) {
  // 2^31 - 1 is not a float32: PyTorch's float(n) becomes 2^31, so 2^20 maps to 2^-11 exactly.
  EXPECT_EQ(SymmetricScale(-0x1p20f, 0.0f, 32), 0x1p-11f);
}

TEST(SymmetricScale, InvalidArgumentsThrow) {
  EXPECT_THROW(SymmetricScale(-1.0f, 1.0f, 1), InputError);
  EXPECT_THROW(SymmetricScale(-1.0f, 1.0f, 33), InputError);
  EXPECT_THROW(SymmetricScale(kNan, 1.0f, 8), InputError);
  EXPECT_THROW(SymmetricScale(-1.0f, kInf, 8), InputError);
}

TEST(SymmetricScaleTimesReciprocal, RoundsTwiceLikeCudaTensorOverScalar) {
  // kInv127 = 16909320 * 2^-31; 9 * kInv127 = 152183880 * 2^-31 = 9511492.5 * 2^-27, a tie that
  // goes to the even 9511492: 0x1.224488p-4, one ulp below SymmetricScale's 0x1.22448ap-4.
  EXPECT_EQ(SymmetricScaleTimesReciprocal(0.0f, 9.0f, 8), 0x1.224488p-4f);
  // 127 * kInv127 = 0.99999999627 rounds to 1.0, as 127 / 127 does.
  EXPECT_EQ(SymmetricScaleTimesReciprocal(-127.0f, 1.0f, 8), 1.0f);
  EXPECT_EQ(SymmetricScaleTimesReciprocal(0.0f, 0.0f, 8), 0x1p-23f);
  EXPECT_THROW(SymmetricScaleTimesReciprocal(kNan, 0.0f, 8), InputError);
}

TEST(LinearQuantizeHalfEven, TiesGoToEven) {
  // scale 0.5: 1/scale = 2 exactly.
  EXPECT_EQ(LinearQuantizeHalfEven(1.25f, 0.5f, 8), 2);    // 2.5
  EXPECT_EQ(LinearQuantizeHalfEven(1.75f, 0.5f, 8), 4);    // 3.5
  EXPECT_EQ(LinearQuantizeHalfEven(-1.25f, 0.5f, 8), -2);  // -2.5
  EXPECT_EQ(LinearQuantizeHalfEven(-1.75f, 0.5f, 8), -4);  // -3.5
  EXPECT_EQ(LinearQuantizeHalfEven(0.25f, 0.5f, 8), 0);    // 0.5
  EXPECT_EQ(LinearQuantizeHalfEven(-0.25f, 0.5f, 8), 0);   // -0.5
  EXPECT_EQ(LinearQuantizeHalfEven(0.75f, 0.5f, 8), 2);    // 1.5
  EXPECT_EQ(LinearQuantizeHalfEven(0.3f, 0.5f, 8), 1);     // 0.6
}

TEST(LinearQuantizeHalfEven, MultipliesByTheFloat32Reciprocal) {
  // RN32(1 / 0.3f) = 0x1.aaaaaap+1 = 3.33333325; 2.25 * that = 7.49999982, and float32 numbers
  // in [4, 8) are 2^-21 = 4.8e-7 apart, so the product rounds to 7.5, a tie that goes to 8.
  // The exact quotient 2.25 / 0.3f = 7.4999997 would round to 7.
  EXPECT_EQ(LinearQuantizeHalfEven(2.25f, 0.3f, 8), 8);
  EXPECT_EQ(LinearQuantizeHalfEven(-2.25f, 0.3f, 8), -8);
}

TEST(LinearQuantizeHalfEven, ClampsToTheSignedRange) {
  EXPECT_EQ(LinearQuantizeHalfEven(100.0f, 0.5f, 8), 127);
  EXPECT_EQ(LinearQuantizeHalfEven(-100.0f, 0.5f, 8), -128);
  EXPECT_EQ(LinearQuantizeHalfEven(63.75f, 0.5f, 8), 127);    // 127.5 -> 128 -> 127
  EXPECT_EQ(LinearQuantizeHalfEven(-64.25f, 0.5f, 8), -128);  // -128.5 -> -128
  EXPECT_EQ(LinearQuantizeHalfEven(10.0f, 1.0f, 4), 7);
  EXPECT_EQ(LinearQuantizeHalfEven(-10.0f, 1.0f, 4), -8);
  EXPECT_EQ(LinearQuantizeHalfEven(40000.0f, 1.0f, 16), 32767);
  // 32 bits: the int32 range, not PyTorch's float32 bound 2^31.
  EXPECT_EQ(LinearQuantizeHalfEven(1.0f, 0x1p-40f, 32), 2147483647);
  EXPECT_EQ(LinearQuantizeHalfEven(-1.0f, 0x1p-40f, 32), -2147483648LL);
  EXPECT_EQ(LinearQuantizeHalfEven(-1.0f, 0x1p-31f, 32), -2147483648LL);  // exactly -2^31
}

TEST(LinearQuantizeHalfEven, ProductOverflowClampsLikeTorch) {
  // 2^100 * 2^100 overflows float32 to +inf; torch.clamp(inf) is the top level.
  EXPECT_EQ(LinearQuantizeHalfEven(0x1p100f, 0x1p-100f, 8), 127);
  EXPECT_EQ(LinearQuantizeHalfEven(-std::numeric_limits<float>::max(), 0.5f, 8), -128);
}

TEST(LinearQuantizeHalfEven, InvalidArgumentsThrow) {
  EXPECT_THROW(LinearQuantizeHalfEven(kNan, 1.0f, 8), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(kInf, 1.0f, 8), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, 0.0f, 8), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, -1.0f, 8), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, kNan, 8), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, kInf, 8), InputError);
  // 1 / 2^-149 overflows float32.
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, std::numeric_limits<float>::denorm_min(), 8),
               InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, 1.0f, 1), InputError);
  EXPECT_THROW(LinearQuantizeHalfEven(1.0f, 1.0f, 33), InputError);
}

// Tier (b) against float: two float32 roundings (relative 2^-24 each) and the final rounding
// leave q within 0.5 + |x / scale| * 2^-23 of the exact quotient, before clamping.
TEST(LinearQuantizeHalfEven, StaysWithinHalfAnLsbOfExactQuotient) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> log2_scale(-20.0f, 0.0f);
  std::uniform_real_distribution<float> level(-32767.0f, 32767.0f);
  for (int i = 0; i < 100000; ++i) {
    const float scale = std::exp2(log2_scale(rng));
    const float x = level(rng) * scale;
    const double exact = static_cast<double>(x) / static_cast<double>(scale);
    const std::int64_t q = LinearQuantizeHalfEven(x, scale, 16);
    ASSERT_LE(std::fabs(static_cast<double>(q) - exact), 0.5 + std::fabs(exact) * 0x1p-23)
        << "x = " << x << ", scale = " << scale;
  }
}

TEST(QuantizeWeightsPerChannel, ScalesEachRowByItsOwnRange) {
  const std::vector<float> w = {0.5f, -1.0f, 0.25f,  -0.5f,  // row 0: max |w| = 1
                                0.1f, 0.2f,  -0.05f, 0.0f};  // row 1: max |w| = 0.2f
  const PerChannelWeights q = QuantizeWeightsPerChannel(w, 2, 4);
  // Row 0: scale kInv127; RN32(1 / kInv127) = RN32(126.9999995) = 127, so the levels are
  // 63.5 -> 64 (tie to even), -127, 31.75 -> 32, -63.5 -> -64.
  // Row 1: scale RN32(0.2f / 127) = 0x1.9cd34p-10; its float32 reciprocal is 635 = 127 / 0.2
  // (the exact 634.9999976 rounds to it). 0.1f * 635 = 63.50000095 -> RN32 63.5 -> 64 (tie to
  // even); 0.2f * 635 = 127.0000019 -> 127; -0.05f * 635 = -31.75000047 -> -31.75 -> -32.
  EXPECT_EQ(q.scales, (std::vector<float>{kInv127, 0x1.9cd34p-10f}));
  EXPECT_EQ(q.values, (std::vector<std::int8_t>{64, -127, 32, -64, 64, 127, -32, 0}));
}

TEST(QuantizeWeightsPerChannel, ZeroRowGetsEpsilonScaleAndZeroLevels) {
  const std::vector<float> w = {0.0f, 0.0f, 0.0f};
  const PerChannelWeights q = QuantizeWeightsPerChannel(w, 1, 3);
  EXPECT_EQ(q.scales, (std::vector<float>{0x1p-23f}));
  EXPECT_EQ(q.values, (std::vector<std::int8_t>{0, 0, 0}));
}

TEST(QuantizeWeightsPerChannel, LevelsStayWithinPlusMinus127) {
  // The row's extreme maps to +-127 (-128 would need rounding past the top level).
  std::mt19937 rng(8);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::vector<float> w(64 * 48);
  for (float& v : w) v = normal(rng);
  const PerChannelWeights q = QuantizeWeightsPerChannel(w, 64, 48);
  for (std::size_t i = 0; i < q.values.size(); ++i) {
    ASSERT_GE(q.values[i], -127) << i;
  }
}

TEST(QuantizeWeightsPerChannel, BadShapeOrValuesThrow) {
  const std::vector<float> w = {1.0f, 2.0f, 3.0f};
  EXPECT_THROW(QuantizeWeightsPerChannel(w, 2, 2), InputError);
  EXPECT_THROW(QuantizeWeightsPerChannel(w, 0, 3), InputError);
  const std::vector<float> bad = {1.0f, kNan};
  EXPECT_THROW(QuantizeWeightsPerChannel(bad, 1, 2), InputError);
}

TEST(QuantizeWeightsWithScales, UsesTheGivenScales) {
  // RN32(1 / 0.01f) = RN32(100.0000022) = 100: 1 -> 100, -1 -> -100, 2 -> 200 -> 127,
  // 0.3f * 100 = 30.0000012 -> RN32 30.0000019 -> 30.
  const std::vector<float> w = {1.0f, -1.0f, 2.0f, 0.3f};
  const std::vector<float> scales = {0.01f};
  EXPECT_EQ(QuantizeWeightsWithScales(w, 1, 4, scales),
            (std::vector<std::int8_t>{100, -100, 127, 30}));
  const std::vector<float> two_scales = {0.01f, 0.02f};
  EXPECT_THROW(QuantizeWeightsWithScales(w, 1, 4, two_scales), InputError);
  const std::vector<float> zero_scale = {0.0f};
  EXPECT_THROW(QuantizeWeightsWithScales(w, 1, 4, zero_scale), InputError);
}

TEST(BiasScale, IsTheFloat32Product) {
  EXPECT_EQ(BiasScale(0.5f, 0.25f), 0.125f);
  // 0.01f = 5368709 * 2^-29 and 0.02f = 2 * 0.01f: product 57646072653362 * 2^-58 =
  // 13743894.73 * 2^-36 -> 13743895 * 2^-36 = 0x1.a36e2ep-13.
  EXPECT_EQ(BiasScale(0.01f, 0.02f), 0x1.a36e2ep-13f);
  EXPECT_THROW(BiasScale(0.0f, 1.0f), InputError);
  EXPECT_THROW(BiasScale(1.0f, -1.0f), InputError);
  EXPECT_THROW(BiasScale(0x1p-100f, 0x1p-100f), InputError);  // underflows to 0
}

TEST(QuantizeBiasPerChannel, QuantizesWithPerChannelBiasScaleTo32Bits) {
  // Channels 0-2: bias scale 0x1.a36e2ep-13 = 1.99999995e-4, reciprocal RN32(5000.000126) = 5000:
  // 0.5 -> 2500, -0.5 -> -2500, 0.123456f * 5000 = 617.28 -> 617.
  // Channel 3: s_w = 2^-40, so 1 / (s_w * s_x) ~ 5.5e13 and 1.0 clamps to 2^31 - 1.
  const std::vector<float> bias = {0.5f, -0.5f, 0.123456f, 1.0f, -1.0f};
  const std::vector<float> s_w = {0.01f, 0.01f, 0.01f, 0x1p-40f, 0x1p-40f};
  EXPECT_EQ(QuantizeBiasPerChannel(bias, s_w, 0.02f),
            (std::vector<std::int32_t>{2500, -2500, 617, 2147483647, -2147483647 - 1}));
}

TEST(QuantizeBiasPerChannel, MismatchOrBadScaleThrowsNamingTheChannel) {
  const std::vector<float> bias = {1.0f, 1.0f};
  const std::vector<float> one_scale = {0.01f};
  EXPECT_THROW(QuantizeBiasPerChannel(bias, one_scale, 0.02f), InputError);
  const std::vector<float> bad_scale = {0.01f, 0.0f};
  try {
    QuantizeBiasPerChannel(bias, bad_scale, 0.02f);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("channel 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::model
