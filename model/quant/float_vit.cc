#include "model/quant/float_vit.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/quant/seeded_random.h"

namespace intvit::model {
namespace {

// The recipe (docs/synth.md explains each number). A weight matrix gets
//   W[o, k] = row_gain[o] * TruncatedNormal(0, gain / sqrt(fan_in), 2 sigma),
// row_gain[o] = LogNormal(kRowGainSigma): DeiT's trunc_normal_ shape, with a standard deviation
// that keeps activations at unit size, as in a trained network, instead of the initial 0.02
// (which shrinks them layer by layer), and output channels of unequal norm, which is what
// per-channel weight quantization is for.
constexpr double kTruncationSigmas = 2.0;
constexpr double kRowGainSigma = 0.25;
constexpr double kPatchGain = 1.0;
constexpr double kQueryKeyGain = 1.5;  // attention logits with a spread of several units
constexpr double kValueGain = 1.0;
constexpr double kProjGain = 1.0;
constexpr double kFc1Gain = 1.4;
constexpr double kFc1BiasMean = -0.5;  // most GELU inputs negative: sparse MLP activations
constexpr double kFc1BiasStd = 0.25;
constexpr double kFc2Gain = 0.7;
constexpr double kHeadGain = 2.5;  // logits with a spread of a few units
// Key rows of head h are rho_h * (query rows) + sqrt(1 - rho_h^2) * (fresh rows): tokens with
// similar features (and nearby positions, through the position embedding) attend to each other.
constexpr double kMinQueryKeyCorrelation = 0.1;
constexpr double kMaxQueryKeyCorrelation = 0.6;
constexpr double kClsStd = 1.0;
constexpr double kPosAmplitude = 0.3;
constexpr double kPosMaxCyclesPerImage = 3.0;
constexpr double kPosNoiseStd = 0.02;  // DeiT's init std, kept as texture on the smooth part
constexpr double kGammaSigma = 0.3;
constexpr double kMinAbsGamma = 0.1;
constexpr double kNegativeGammaProbability = 0.04;
constexpr double kBetaStd = 0.1;
constexpr double kSmallBiasStd = 0.02;
constexpr double kQkvBiasStd = 0.1;
// One outlier channel per 96 channels (2 in DeiT-Tiny). Its offset reaches kOutlierOffset in the
// residual stream, a quarter from the patch embedding and the rest spread over the blocks' fc2
// biases; LayerNorms give it a small gamma, as trained ViTs do.
constexpr std::int64_t kChannelsPerOutlier = 96;
constexpr double kOutlierOffset = 6.0;
constexpr double kOutlierGammaLo = 0.1, kOutlierGammaHi = 0.2;

FloatLinear MakeLinear(SeededRandom& rng, std::int64_t out, std::int64_t in, double gain,
                       double bias_mean, double bias_std) {
  FloatLinear l;
  l.out = out, l.in = in;
  l.weight.resize(static_cast<std::size_t>(out * in));
  l.bias.resize(static_cast<std::size_t>(out));
  const double std = gain / std::sqrt(static_cast<double>(in));
  for (std::int64_t o = 0; o < out; ++o) {
    const double row_gain = rng.LogNormal(kRowGainSigma);
    for (std::int64_t k = 0; k < in; ++k) {
      l.weight[o * in + k] =
          static_cast<float>(row_gain * rng.TruncatedNormal(0.0, std, kTruncationSigmas));
    }
  }
  for (auto& b : l.bias) b = static_cast<float>(bias_mean + bias_std * rng.Normal());
  return l;
}

bool IsOutlier(const std::vector<std::int64_t>& outliers, std::int64_t c) {
  return std::find(outliers.begin(), outliers.end(), c) != outliers.end();
}

FloatLayerNorm MakeLayerNorm(SeededRandom& rng, std::int64_t channels,
                             const std::vector<std::int64_t>& outliers) {
  FloatLayerNorm n;
  bool any_negative = false;
  for (std::int64_t c = 0; c < channels; ++c) {
    double g = IsOutlier(outliers, c) ? rng.Uniform(kOutlierGammaLo, kOutlierGammaHi)
                                      : std::max(kMinAbsGamma, rng.LogNormal(kGammaSigma));
    if (rng.Uniform() < kNegativeGammaProbability) g = -g, any_negative = true;
    n.gamma.push_back(static_cast<float>(g));
    n.beta.push_back(static_cast<float>(kBetaStd * rng.Normal()));
  }
  // Every LayerNorm has a negative gamma, so every model exercises negative multipliers.
  if (!any_negative) {
    const auto c = static_cast<std::size_t>(rng.UniformInt(0, channels - 1));
    n.gamma[c] = -n.gamma[c];
  }
  return n;
}

FloatLinear MakeQkv(SeededRandom& rng, const ModelConfig& c) {
  const std::int64_t C = c.embed_dim, d = c.head_dim();
  FloatLinear l = MakeLinear(rng, 3 * C, C, kQueryKeyGain, 0.0, kQkvBiasStd);
  for (std::int64_t h = 0; h < c.num_heads; ++h) {
    const double rho = rng.Uniform(kMinQueryKeyCorrelation, kMaxQueryKeyCorrelation);
    const double fresh = std::sqrt(1.0 - rho * rho);
    for (std::int64_t j = h * d; j < (h + 1) * d; ++j) {
      const float* q = &l.weight[j * C];
      float* k = &l.weight[(C + j) * C];
      for (std::int64_t i = 0; i < C; ++i) k[i] = static_cast<float>(rho * q[i] + fresh * k[i]);
    }
  }
  // The value rows and biases were drawn with the query/key gain and bias std; rescale them to
  // kValueGain and half the bias std.
  const auto v_scale = static_cast<float>(kValueGain / kQueryKeyGain);
  for (std::int64_t i = 2 * C * C; i < 3 * C * C; ++i) l.weight[i] *= v_scale;
  for (std::int64_t j = 2 * C; j < 3 * C; ++j) l.bias[j] *= 0.5f;
  return l;
}

std::vector<float> MakePosEmbed(SeededRandom& rng, const ModelConfig& c) {
  const std::int64_t C = c.embed_dim, g = c.grid();
  std::vector<float> pos(static_cast<std::size_t>(c.tokens() * C));
  for (std::int64_t ch = 0; ch < C; ++ch) {
    // One plane wave per channel over the patch grid: nearby patches get similar embeddings.
    const double fx = rng.Uniform(-kPosMaxCyclesPerImage, kPosMaxCyclesPerImage);
    const double fy = rng.Uniform(-kPosMaxCyclesPerImage, kPosMaxCyclesPerImage);
    const double phase = rng.Uniform(0.0, 2.0 * std::numbers::pi);
    const double amp = kPosAmplitude * rng.LogNormal(kGammaSigma);
    pos[ch] = static_cast<float>(rng.TruncatedNormal(0.0, kPosNoiseStd, kTruncationSigmas));
    for (std::int64_t p = 0; p < c.num_patches(); ++p) {
      const double x = static_cast<double>(p % g) / g, y = static_cast<double>(p / g) / g;
      const double wave = std::sin(2.0 * std::numbers::pi * (fx * x + fy * y) + phase);
      pos[(p + 1) * C + ch] = static_cast<float>(
          amp * wave + rng.TruncatedNormal(0.0, kPosNoiseStd, kTruncationSigmas));
    }
  }
  return pos;
}

}  // namespace

FloatVit MakeSyntheticVit(const ModelConfig& config, std::uint64_t seed) {
  ValidateModelConfig(config, "model config");
  const ModelConfig& c = config;
  const std::int64_t C = c.embed_dim;
  SeededRandom rng(DeriveSeed(seed, 0));
  FloatVit v;
  v.config = c;
  const std::int64_t outlier_count = std::max<std::int64_t>(1, C / kChannelsPerOutlier);
  std::vector<double> outlier_sign;
  while (static_cast<std::int64_t>(v.outlier_channels.size()) < outlier_count) {
    const std::int64_t ch = rng.UniformInt(0, C - 1);
    if (IsOutlier(v.outlier_channels, ch)) continue;
    v.outlier_channels.push_back(ch);
    outlier_sign.push_back(rng.Uniform() < 0.5 ? -1.0 : 1.0);
  }
  auto add_outlier_offset = [&](FloatLinear& l, double share) {
    for (std::size_t i = 0; i < v.outlier_channels.size(); ++i) {
      l.bias[v.outlier_channels[i]] += static_cast<float>(outlier_sign[i] * kOutlierOffset * share);
    }
  };

  v.patch_embed = MakeLinear(rng, C, c.patch_dim(), kPatchGain, 0.0, kSmallBiasStd);
  add_outlier_offset(v.patch_embed, 0.25);
  for (std::int64_t i = 0; i < C; ++i) {
    v.cls_token.push_back(static_cast<float>(rng.TruncatedNormal(0.0, kClsStd, kTruncationSigmas)));
  }
  v.pos_embed = MakePosEmbed(rng, c);
  for (std::int64_t b = 0; b < c.depth; ++b) {
    FloatBlock blk;
    blk.norm1 = MakeLayerNorm(rng, C, v.outlier_channels);
    blk.qkv = MakeQkv(rng, c);
    blk.proj = MakeLinear(rng, C, C, kProjGain, 0.0, kSmallBiasStd);
    blk.norm2 = MakeLayerNorm(rng, C, v.outlier_channels);
    blk.fc1 = MakeLinear(rng, c.mlp_hidden, C, kFc1Gain, kFc1BiasMean, kFc1BiasStd);
    blk.fc2 = MakeLinear(rng, C, c.mlp_hidden, kFc2Gain, 0.0, kSmallBiasStd);
    add_outlier_offset(blk.fc2, 0.75 / static_cast<double>(c.depth));
    v.blocks.push_back(std::move(blk));
  }
  v.norm = MakeLayerNorm(rng, C, v.outlier_channels);
  v.head = MakeLinear(rng, c.num_classes, C, kHeadGain, 0.0, kQkvBiasStd);
  return v;
}

}  // namespace intvit::model
