#include "model/quant/symmetric_quant.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "model/common/error.h"
#include "model/quant/float32.h"

namespace intvit::model {
namespace {

// The checks below run once per weight, so they build their messages only on failure.
void RequireBits(int bits) {
  if (bits < 2 || bits > 32) {
    throw InputError("symmetric quantizer: " + std::to_string(bits) + " bits, outside [2, 32]");
  }
}

void RequireFinite(float v, const char* what) {
  if (!std::isfinite(v)) {
    throw InputError(std::string("symmetric quantizer: ") + what + " is " + detail::FloatText(v) +
                     ", not finite");
  }
}

// 2^(bits-1) - 1, the largest level, as the float32 PyTorch divides by.
float MaxLevelAsFloat(int bits) { return static_cast<float>((std::int64_t{1} << (bits - 1)) - 1); }

// round(v) to an integer-valued double, ties to even, whatever the FP rounding mode.
double RoundHalfEven(double v) {
  const double a = std::fabs(v);
  if (!(a < 0x1p52)) return v;  // already an integer, or infinite
  double r = std::floor(a);
  const double frac = a - r;  // exact: Sterbenz for a >= 1, r == 0 below
  if (frac > 0.5 || (frac == 0.5 && std::fmod(r, 2.0) != 0.0)) r += 1.0;
  return std::copysign(r, v);
}

void RequireMatrix(std::span<const float> weights, int rows, int cols) {
  Require(rows >= 1 && cols >= 1,
          "weights: shape [" + std::to_string(rows) + ", " + std::to_string(cols) + "] is empty");
  Require(weights.size() == static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols),
          "weights: " + std::to_string(weights.size()) + " values for shape [" +
              std::to_string(rows) + ", " + std::to_string(cols) + "]");
}

std::string ChannelPrefix(std::size_t c) { return "channel " + std::to_string(c) + ": "; }

}  // namespace

float SymmetricScale(float min_val, float max_val, int bits) {
  RequireBits(bits);
  RequireFinite(min_val, "min");
  RequireFinite(max_val, "max");
  const float max_abs = std::max(-min_val, max_val);
  const float scale = max_abs / MaxLevelAsFloat(bits);  // RN32(max_abs / n)
  return std::max(scale, kMinSymmetricScale);
}

float SymmetricScaleTimesReciprocal(float min_val, float max_val, int bits) {
  RequireBits(bits);
  RequireFinite(min_val, "min");
  RequireFinite(max_val, "max");
  const float max_abs = std::max(-min_val, max_val);
  const float inverse = 1.0f / MaxLevelAsFloat(bits);  // RN32(1 / n)
  const float scale = max_abs * inverse;               // RN32(max_abs * inverse)
  return std::max(scale, kMinSymmetricScale);
}

std::int64_t LinearQuantizeHalfEven(float x, float scale, int bits) {
  RequireBits(bits);
  RequireFinite(x, "the value");
  if (!(std::isfinite(scale) && scale > 0.0f)) {
    throw InputError("symmetric quantizer: scale " + detail::FloatText(scale) +
                     " must be finite and positive");
  }
  const float inverse = 1.0f / scale;  // RN32(1 / scale)
  if (!std::isfinite(inverse)) {
    throw InputError("symmetric quantizer: 1 / scale overflows float32 for scale " +
                     detail::FloatText(scale));
  }
  const float product = inverse * x;  // RN32(inverse * x); +-inf clamps below
  const double rounded = RoundHalfEven(product);
  const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
  const std::int64_t lo = -hi - 1;
  if (rounded <= static_cast<double>(lo)) return lo;  // both bounds are exact in double
  if (rounded >= static_cast<double>(hi)) return hi;
  return static_cast<std::int64_t>(rounded);
}

PerChannelWeights QuantizeWeightsPerChannel(std::span<const float> weights, int rows, int cols) {
  RequireMatrix(weights, rows, cols);
  const std::size_t k = static_cast<std::size_t>(cols);
  PerChannelWeights out;
  out.scales.reserve(static_cast<std::size_t>(rows));
  for (std::size_t c = 0; c < static_cast<std::size_t>(rows); ++c) {
    const std::span<const float> row = weights.subspan(c * k, k);
    for (std::size_t j = 0; j < k; ++j) {
      if (!std::isfinite(row[j])) {
        throw InputError("weights: W[" + std::to_string(c) + ", " + std::to_string(j) + "] is " +
                         detail::FloatText(row[j]) + ", not finite");
      }
    }
    const auto [min_it, max_it] = std::minmax_element(row.begin(), row.end());
    out.scales.push_back(SymmetricScale(*min_it, *max_it, kWeightBits));
  }
  out.values = QuantizeWeightsWithScales(weights, rows, cols, out.scales);
  return out;
}

std::vector<std::int8_t> QuantizeWeightsWithScales(std::span<const float> weights, int rows,
                                                   int cols, std::span<const float> scales) {
  RequireMatrix(weights, rows, cols);
  Require(scales.size() == static_cast<std::size_t>(rows),
          "weights: " + std::to_string(scales.size()) + " scales for " + std::to_string(rows) +
              " output channels");
  const std::size_t k = static_cast<std::size_t>(cols);
  std::vector<std::int8_t> values;
  values.reserve(weights.size());
  for (std::size_t c = 0; c < scales.size(); ++c) {
    try {
      for (std::size_t j = 0; j < k; ++j) {
        values.push_back(static_cast<std::int8_t>(
            LinearQuantizeHalfEven(weights[c * k + j], scales[c], kWeightBits)));
      }
    } catch (const InputError& e) {
      throw InputError("weights: " + ChannelPrefix(c) + e.what());
    }
  }
  return values;
}

float BiasScale(float weight_scale, float input_scale) {
  Require(std::isfinite(weight_scale) && weight_scale > 0.0f && std::isfinite(input_scale) &&
              input_scale > 0.0f,
          "bias scale: s_w = " + detail::FloatText(weight_scale) +
              " and s_x = " + detail::FloatText(input_scale) + " must be finite and positive");
  const float scale = weight_scale * input_scale;  // RN32(s_w * s_x)
  Require(std::isfinite(scale) && scale > 0.0f,
          "bias scale: s_w * s_x = " + detail::FloatText(weight_scale) + " * " +
              detail::FloatText(input_scale) + " is " + detail::FloatText(scale) + " in float32");
  return scale;
}

std::vector<std::int32_t> QuantizeBiasPerChannel(std::span<const float> bias,
                                                 std::span<const float> weight_scales,
                                                 float input_scale) {
  Require(bias.size() == weight_scales.size(),
          "bias: " + std::to_string(bias.size()) + " values for " +
              std::to_string(weight_scales.size()) + " weight scales");
  std::vector<std::int32_t> out;
  out.reserve(bias.size());
  for (std::size_t c = 0; c < bias.size(); ++c) {
    try {
      const float scale = BiasScale(weight_scales[c], input_scale);
      out.push_back(static_cast<std::int32_t>(LinearQuantizeHalfEven(bias[c], scale, kBiasBits)));
    } catch (const InputError& e) {
      throw InputError("bias: " + ChannelPrefix(c) + e.what());
    }
  }
  return out;
}

}  // namespace intvit::model
