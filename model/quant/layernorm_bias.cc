#include "model/quant/layernorm_bias.h"

#include <cmath>
#include <cstddef>
#include <string>

#include "model/common/error.h"
#include "model/quant/float32.h"

namespace intvit::model {
namespace {

constexpr int kMaxChannels = 1 << 24;  // every int up to 2^24 is exact in float32
constexpr float kTwoPow30 = 1073741824.0f;

void RequireGamma(float gamma, float scaling_factor) {
  Require(std::isfinite(gamma) && gamma != 0.0f,
          "LayerNorm: gamma is " + detail::FloatText(gamma) + "; it must be finite and nonzero");
  Require(std::isfinite(scaling_factor) && scaling_factor > 0.0f,
          "LayerNorm: scaling factor " + detail::FloatText(scaling_factor) +
              " must be finite and positive");
}

}  // namespace

float LayerNormScalingFactor(int channels) {
  Require(channels >= 1 && channels <= kMaxChannels,
          "LayerNorm: " + std::to_string(channels) + " channels, outside [1, 2^24]");
  const float dim_sqrt = std::sqrt(static_cast<float>(channels));  // float overload: sqrtf
  return dim_sqrt / kTwoPow30;
}

std::int64_t LayerNormBiasInt(float gamma, float beta, float scaling_factor) {
  RequireGamma(gamma, scaling_factor);
  Require(std::isfinite(beta), "LayerNorm: beta is " + detail::FloatText(beta) + ", not finite");
  const float bias = beta / gamma;               // RN32(beta / gamma)
  const float quotient = bias / scaling_factor;  // RN32(bias / scaling_factor)
  const float floored = std::floor(quotient);
  // kLayerNormMaxAbsBiasInt = 2^62 is exact in float32, so the comparison is exact.
  constexpr float kLimit = static_cast<float>(kLayerNormMaxAbsBiasInt);
  Require(std::isfinite(floored) && floored >= -kLimit && floored <= kLimit,
          "LayerNorm: beta / gamma = " + detail::FloatText(beta) + " / " +
              detail::FloatText(gamma) + " gives bias_int " + detail::FloatText(floored) +
              ", beyond 2^62 in magnitude");
  return static_cast<std::int64_t>(floored);
}

float LayerNormOutputScale(float gamma, float scaling_factor) {
  RequireGamma(gamma, scaling_factor);
  const float scale = scaling_factor * gamma;  // RN32(scaling_factor * gamma)
  Require(std::isfinite(scale) && scale != 0.0f,
          "LayerNorm: output scale " + detail::FloatText(scaling_factor) + " * " +
              detail::FloatText(gamma) + " is " + detail::FloatText(scale) + " in float32");
  return scale;
}

LayerNormConstants PrepareLayerNormConstants(std::span<const float> gamma,
                                             std::span<const float> beta) {
  Require(gamma.size() == beta.size(), "LayerNorm: gamma has " + std::to_string(gamma.size()) +
                                           " channels but beta has " + std::to_string(beta.size()));
  Require(!gamma.empty() && gamma.size() <= static_cast<std::size_t>(kMaxChannels),
          "LayerNorm: " + std::to_string(gamma.size()) + " channels, outside [1, 2^24]");
  LayerNormConstants out;
  out.scaling_factor = LayerNormScalingFactor(static_cast<int>(gamma.size()));
  out.bias_int.reserve(gamma.size());
  out.output_scale.reserve(gamma.size());
  for (std::size_t c = 0; c < gamma.size(); ++c) {
    try {
      out.bias_int.push_back(LayerNormBiasInt(gamma[c], beta[c], out.scaling_factor));
      out.output_scale.push_back(LayerNormOutputScale(gamma[c], out.scaling_factor));
    } catch (const InputError& e) {
      throw InputError("channel " + std::to_string(c) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace intvit::model
