#include "model/quant/layernorm_bias.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr std::int64_t kTwoPow29 = std::int64_t{1} << 29;

TEST(LayerNormScalingFactor, UsesFloat32SquareRoot) {
  // sqrt(192) = 13.85640646; the nearest float32 is 14529495 * 2^-20 = 0x1.bb67aep+3 =
  // 13.85640621. Divided by 2^30: 0x1.bb67aep-27.
  EXPECT_EQ(LayerNormScalingFactor(192), 0x1.bb67aep-27f);
  // sqrt(768) = 2 * sqrt(192), and doubling is exact in float32.
  EXPECT_EQ(LayerNormScalingFactor(768), 0x1.bb67aep-26f);
  // Perfect squares are exact.
  EXPECT_EQ(LayerNormScalingFactor(4), 0x1p-29f);
  EXPECT_EQ(LayerNormScalingFactor(1), 0x1p-30f);
  EXPECT_EQ(LayerNormScalingFactor(1 << 24), 0x1p-18f);
}

TEST(LayerNormScalingFactor, ChannelCountOutsideRangeThrows) {
  EXPECT_THROW(LayerNormScalingFactor(0), InputError);
  EXPECT_THROW(LayerNormScalingFactor(-4), InputError);
  EXPECT_THROW(LayerNormScalingFactor((1 << 24) + 1), InputError);
}

TEST(LayerNormBiasInt, PowerOfTwoScalingGivesBetaOverGammaTimesTwoPow30OverSqrtC) {
  const float scaling = 0x1p-29f;  // C = 4
  EXPECT_EQ(LayerNormBiasInt(1.0f, 1.0f, scaling), kTwoPow29);
  EXPECT_EQ(LayerNormBiasInt(-1.0f, 1.0f, scaling), -kTwoPow29);
  EXPECT_EQ(LayerNormBiasInt(2.0f, 3.0f, scaling), 805306368);  // 1.5 * 2^29
  EXPECT_EQ(LayerNormBiasInt(1.0f, 0.0f, scaling), 0);
}

TEST(LayerNormBiasInt, QuotientRoundsToFloat32BeforeTheFloor) {
  // C = 192, gamma = beta = 1: 1 / (14529495 * 2^-50) = 2^50 / 14529495 = 77490642.78. Float32
  // numbers in [2^26, 2^27) are 8 apart: 77490640 or 77490648, and 77490640 is nearer.
  // (Exact sqrt(192) in double would give floor(77490641.4) = 77490641.)
  EXPECT_EQ(LayerNormBiasInt(1.0f, 1.0f, 0x1.bb67aep-27f), 77490640);
  // beta / gamma rounds first: RN32(1/3) = 11184811 * 2^-25, times 2^29 = 178956976, where the
  // exact 2^29 / 3 = 178956970.67 would floor to 178956970.
  EXPECT_EQ(LayerNormBiasInt(3.0f, 1.0f, 0x1p-29f), 178956976);
  EXPECT_EQ(LayerNormBiasInt(3.0f, -1.0f, 0x1p-29f), -178956976);
}

TEST(LayerNormBiasInt, FloorsTowardMinusInfinity) {
  // beta = 3 * 2^-31, gamma = 1, scaling 2^-29: 0.75 -> 0 and -0.75 -> -1.
  EXPECT_EQ(LayerNormBiasInt(1.0f, 0x3p-31f, 0x1p-29f), 0);
  EXPECT_EQ(LayerNormBiasInt(1.0f, -0x3p-31f, 0x1p-29f), -1);
  EXPECT_EQ(LayerNormBiasInt(-1.0f, 0x3p-31f, 0x1p-29f), -1);
}

TEST(LayerNormBiasInt, ExceedsInt32WhenGammaIsSmall) {
  // beta / gamma = 2^10, times 2^29 = 2^39.
  EXPECT_EQ(LayerNormBiasInt(0x1p-10f, 1.0f, 0x1p-29f), std::int64_t{1} << 39);
  // 2^62 is the largest accepted magnitude: beta / gamma = 2^33.
  EXPECT_EQ(LayerNormBiasInt(0x1p-33f, 1.0f, 0x1p-29f), std::int64_t{1} << 62);
  EXPECT_EQ(LayerNormBiasInt(0x1p-33f, -1.0f, 0x1p-29f), -(std::int64_t{1} << 62));
}

TEST(LayerNormBiasInt, InvalidParametersThrow) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_THROW(LayerNormBiasInt(0.0f, 1.0f, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormBiasInt(-0.0f, 1.0f, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormBiasInt(nan, 1.0f, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormBiasInt(1.0f, nan, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormBiasInt(1.0f, inf, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormBiasInt(1.0f, 1.0f, 0.0f), InputError);
  EXPECT_THROW(LayerNormBiasInt(1.0f, 1.0f, -0x1p-29f), InputError);
  // 2^63 in magnitude: beyond kLayerNormMaxAbsBiasInt.
  EXPECT_THROW(LayerNormBiasInt(0x1p-34f, 1.0f, 0x1p-29f), InputError);
  // beta / gamma overflows float32 to +inf.
  EXPECT_THROW(LayerNormBiasInt(1e-10f, 1e38f, 0x1p-29f), InputError);
}

TEST(LayerNormOutputScale, IsFloat32ProductOfScalingAndGamma) {
  EXPECT_EQ(LayerNormOutputScale(0.5f, 0x1p-29f), 0x1p-30f);
  EXPECT_EQ(LayerNormOutputScale(-3.0f, 0x1p-29f), -0x3p-29f);  // keeps the sign of gamma
  // 0x1.bb67aep-27 * 0.1f = (14529495 * 2^-50) * (13421773 * 2^-27) = 195011583694635 * 2^-77;
  // 195011583694635 / 2^24 = 11623596.17 rounds to 11623596 = 0xb15cac: 0x1.62b958p-30.
  EXPECT_EQ(LayerNormOutputScale(0.1f, 0x1.bb67aep-27f), 0x1.62b958p-30f);
}

TEST(LayerNormOutputScale, InvalidParametersThrow) {
  EXPECT_THROW(LayerNormOutputScale(0.0f, 0x1p-29f), InputError);
  EXPECT_THROW(LayerNormOutputScale(std::numeric_limits<float>::infinity(), 0x1p-29f), InputError);
  // 2^-126 * 2^-30 underflows to zero in float32.
  EXPECT_THROW(LayerNormOutputScale(0x1p-126f, 0x1p-30f), InputError);
}

TEST(PrepareLayerNormConstants, ComputesEveryChannel) {
  const std::vector<float> gamma = {1.0f, -1.0f, 2.0f, 0x1p-10f};
  const std::vector<float> beta = {1.0f, 1.0f, 3.0f, 1.0f};
  const LayerNormConstants k = PrepareLayerNormConstants(gamma, beta);  // C = 4
  EXPECT_EQ(k.scaling_factor, 0x1p-29f);
  EXPECT_EQ(k.bias_int,
            (std::vector<std::int64_t>{kTwoPow29, -kTwoPow29, 805306368, std::int64_t{1} << 39}));
  EXPECT_EQ(k.output_scale, (std::vector<float>{0x1p-29f, -0x1p-29f, 0x1p-28f, 0x1p-39f}));
}

TEST(PrepareLayerNormConstants, MismatchedOrEmptyParametersThrow) {
  const std::vector<float> two = {1.0f, 1.0f};
  const std::vector<float> three = {1.0f, 1.0f, 1.0f};
  EXPECT_THROW(PrepareLayerNormConstants(two, three), InputError);
  EXPECT_THROW(PrepareLayerNormConstants({}, {}), InputError);
}

TEST(PrepareLayerNormConstants, ErrorNamesTheChannel) {
  const std::vector<float> gamma = {1.0f, 0.0f, 1.0f};
  const std::vector<float> beta = {0.0f, 0.0f, 0.0f};
  try {
    PrepareLayerNormConstants(gamma, beta);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("channel 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::model
