#include "model/quant/float_vit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/common/error.h"

namespace intvit::model {
namespace {

double Rms(const std::vector<float>& v, std::size_t begin, std::size_t end) {
  double s = 0.0;
  for (std::size_t i = begin; i < end; ++i) s += static_cast<double>(v[i]) * v[i];
  return std::sqrt(s / static_cast<double>(end - begin));
}

// DeiT-Tiny's widths with two blocks, built once.
const FloatVit& TwoBlockDeit() {
  static const FloatVit v = [] {
    ModelConfig c = ModelPreset("deit-tiny");
    c.arch = "custom";
    c.depth = 2;
    return MakeSyntheticVit(c, 1);
  }();
  return v;
}

TEST(MakeSyntheticVit, ShapesFollowTheConfig) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit v = MakeSyntheticVit(c, 1);
  const std::int64_t C = c.embed_dim;
  EXPECT_EQ(v.patch_embed.weight.size(), static_cast<std::size_t>(C * c.patch_dim()));
  EXPECT_EQ(v.cls_token.size(), static_cast<std::size_t>(C));
  EXPECT_EQ(v.pos_embed.size(), static_cast<std::size_t>(c.tokens() * C));
  ASSERT_EQ(v.blocks.size(), static_cast<std::size_t>(c.depth));
  EXPECT_EQ(v.blocks[1].qkv.out, 3 * C);
  EXPECT_EQ(v.blocks[1].fc1.out, c.mlp_hidden);
  EXPECT_EQ(v.blocks[1].fc2.in, c.mlp_hidden);
  EXPECT_EQ(v.blocks[1].fc2.weight.size(), static_cast<std::size_t>(C * c.mlp_hidden));
  EXPECT_EQ(v.head.out, c.num_classes);
  EXPECT_EQ(v.norm.gamma.size(), static_cast<std::size_t>(C));
}

TEST(MakeSyntheticVit, SameSeedSameWeightsOtherSeedOtherWeights) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit a = MakeSyntheticVit(c, 9), b = MakeSyntheticVit(c, 9),
                 d = MakeSyntheticVit(c, 10);
  EXPECT_EQ(a.blocks[1].fc2.weight, b.blocks[1].fc2.weight);
  EXPECT_EQ(a.pos_embed, b.pos_embed);
  EXPECT_EQ(a.head.bias, b.head.bias);
  EXPECT_NE(a.blocks[1].fc2.weight, d.blocks[1].fc2.weight);
}

TEST(MakeSyntheticVit, EveryLayerNormHasANegativeGammaAndNoTinyOne) {
  const FloatVit& v = TwoBlockDeit();
  std::vector<const FloatLayerNorm*> norms = {&v.norm};
  for (const auto& b : v.blocks) norms.push_back(&b.norm1), norms.push_back(&b.norm2);
  for (const FloatLayerNorm* n : norms) {
    EXPECT_TRUE(std::any_of(n->gamma.begin(), n->gamma.end(), [](float g) { return g < 0; }));
    for (const float g : n->gamma) EXPECT_GE(std::fabs(g), 0.1f);
    EXPECT_GT(Rms(n->beta, 0, n->beta.size()), 0.05);
  }
}

TEST(MakeSyntheticVit, WeightsAreTruncatedNormalWithPerLayerGainsNotTheInitialStd) {
  const FloatVit& v = TwoBlockDeit();
  const FloatLinear& fc1 = v.blocks[0].fc1;
  // gain 1.4 / sqrt(192) = 0.101; a 2-sigma truncation keeps 0.88 of the std and the row gains
  // (lognormal, sigma 0.25) add sqrt(e^0.125) = 1.064: far from DeiT's initial 0.02.
  EXPECT_NEAR(Rms(fc1.weight, 0, fc1.weight.size()), 1.4 / std::sqrt(192.0) * 0.88 * 1.064, 0.01);
  // Rows differ in norm (what per-channel weight scales are for).
  std::vector<double> row_rms;
  for (std::int64_t o = 0; o < fc1.out; ++o)
    row_rms.push_back(Rms(fc1.weight, o * 192, o * 192 + 192));
  const auto [lo, hi] = std::minmax_element(row_rms.begin(), row_rms.end());
  EXPECT_GT(*hi / *lo, 1.8);
  // Biases are not zero; fc1's are mostly negative (sparse GELU outputs).
  const double mean_b1 = std::accumulate(fc1.bias.begin(), fc1.bias.end(), 0.0) / fc1.out;
  EXPECT_NEAR(mean_b1, -0.5, 0.05);
}

TEST(MakeSyntheticVit, KeysCorrelateWithQueriesInEveryHead) {
  const FloatVit& v = TwoBlockDeit();
  const ModelConfig& c = v.config;
  const std::int64_t C = c.embed_dim, d = c.head_dim();
  const auto& w = v.blocks[1].qkv.weight;
  for (std::int64_t h = 0; h < c.num_heads; ++h) {
    double qk = 0.0, qq = 0.0, kk = 0.0;
    for (std::int64_t j = h * d; j < (h + 1) * d; ++j) {
      for (std::int64_t i = 0; i < C; ++i) {
        const double q = w[j * C + i], k = w[(C + j) * C + i];
        qk += q * k, qq += q * q, kk += k * k;
      }
    }
    const double rho = qk / std::sqrt(qq * kk);
    EXPECT_GT(rho, 0.05) << "head " << h;
    EXPECT_LT(rho, 0.65) << "head " << h;
  }
}

TEST(MakeSyntheticVit, OutlierChannelsCarryAnOffsetThroughTheBiases) {
  const FloatVit& v = TwoBlockDeit();
  ASSERT_EQ(v.outlier_channels.size(), 2u);  // one per 96 channels
  for (const std::int64_t ch : v.outlier_channels) {
    // A quarter of the offset 6 in the patch embedding, the rest over the blocks' fc2 biases.
    EXPECT_NEAR(std::fabs(v.patch_embed.bias[ch]), 1.5, 0.1);
    double total = v.patch_embed.bias[ch];
    for (const auto& b : v.blocks) total += b.fc2.bias[ch];
    EXPECT_NEAR(std::fabs(total), 6.0, 0.3);
    EXPECT_LE(std::fabs(v.blocks[0].norm1.gamma[ch]), 0.2f);
  }
}

TEST(MakeSyntheticVit, PositionEmbeddingIsSmoothOverTheGrid) {
  const FloatVit& v = TwoBlockDeit();
  const ModelConfig& c = v.config;
  // Neighbouring patches are more alike than patches half the image apart.
  const std::int64_t C = c.embed_dim, g = c.grid();
  auto dist = [&](std::int64_t p, std::int64_t q) {
    double s = 0.0;
    for (std::int64_t ch = 0; ch < C; ++ch) {
      const double d = v.pos_embed[(p + 1) * C + ch] - v.pos_embed[(q + 1) * C + ch];
      s += d * d;
    }
    return std::sqrt(s);
  };
  const std::int64_t center = (g / 2) * g + g / 2;
  EXPECT_LT(2.0 * dist(center, center + 1), dist(center, center + g / 2));
}

TEST(MakeSyntheticVit, RejectsAnInvalidConfig) {
  ModelConfig c = ModelPreset("vit-tiny-test");
  c.image_size = 33;
  EXPECT_THROW(MakeSyntheticVit(c, 1), InputError);
}

}  // namespace
}  // namespace intvit::model
