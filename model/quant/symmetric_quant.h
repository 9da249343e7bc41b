// Prepare time: I-ViT's symmetric quantizer (quant_utils.py: symmetric_linear_quantization_params,
// linear_quantize, SymmetricQuantFunction). Zero point 0, float32 throughout, torch.round
// (ties to even). Used for weights and biases (per output channel) and for float inputs such as
// the image and pos_embed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace intvit::model {

inline constexpr int kWeightBits = 8;
inline constexpr int kBiasBits = 32;
// Scales are clamped below at float32 epsilon, torch.finfo(torch.float32).eps = 2^-23.
inline constexpr float kMinSymmetricScale = 0x1p-23f;

// Computes:   max(RN32(max(-min_val, max_val) / RN32(2^(bits-1) - 1)), 2^-23): the scale that
//             maps the larger of |min_val|, |max_val| to 2^(bits-1) - 1 (127 for 8 bits).
// Rounding:   one float32 division (PyTorch on CPU). RN32(2^31 - 1) = 2^31 for 32 bits.
// Range:      bits in [2, 32], finite min_val and max_val; else InputError.
float SymmetricScale(float min_val, float max_val, int bits);

// Computes:   as SymmetricScale, but max_abs * RN32(1 / RN32(2^(bits-1) - 1)): what PyTorch's CUDA
//             kernel computes for a tensor divided by a Python number (div_true_kernel_cuda
//             multiplies by the float32 reciprocal). I-ViT trains and validates on CUDA, so
//             checkpoint scales derived there follow this form.
// Rounding:   the reciprocal and the product each to the nearest float32. Differs from
//             SymmetricScale by one ulp for about 5 % of max values at bits = 8 (max = 9:
//             SymmetricScale rounds 9/127 up, this rounds a tie to even, down).
// Range:      as SymmetricScale.
float SymmetricScaleTimesReciprocal(float min_val, float max_val, int bits);

// Computes:   clamp(round(RN32(RN32(1 / scale) * x)), -2^(bits-1), 2^(bits-1) - 1):
//             linear_quantize's torch.round(1. / scale * x) and SymmetricQuantFunction's clamp.
// Rounding:   the reciprocal and the product each to the nearest float32, then to the nearest
//             integer with ties to even (torch.round), independent of the FP rounding mode. Not
//             round(x / scale): s = 0.3f, x = 2.25f gives 8, the exact quotient 7.4999997 gives 7.
// Range:      bits in [2, 32]; finite x; finite scale > 0 whose reciprocal is finite in float32.
//             A product that overflows float32 clamps like any other. Else InputError.
//             For 32 bits the upper bound is 2^31 - 1 (int32); PyTorch's float32 clamp at
//             RN32(2^31 - 1) = 2^31 would allow 2^31.
std::int64_t LinearQuantizeHalfEven(float x, float scale, int bits);

// Per-output-channel 8-bit weights: row c of a row-major [rows, cols] matrix has scale scales[c].
struct PerChannelWeights {
  std::vector<std::int8_t> values;  // [rows, cols], in [-128, 127]
  std::vector<float> scales;        // [rows]
};

// Computes:   scales[c] = SymmetricScale(min_k W[c,k], max_k W[c,k], 8)
//             (= max(|min_c|, |max_c|) / 127, at least 2^-23), values[c,k] =
//             LinearQuantizeHalfEven(W[c,k], scales[c], 8). A convolution weight
//             [N, C, kh, kw] is the matrix [N, C*kh*kw].
// Rounding:   as SymmetricScale and LinearQuantizeHalfEven.
// Range:      rows, cols >= 1, weights.size() == rows * cols, every weight finite; else InputError.
PerChannelWeights QuantizeWeightsPerChannel(std::span<const float> weights, int rows, int cols);

// Computes:   values[c,k] = LinearQuantizeHalfEven(W[c,k], scales[c], 8) with given scales, e.g.
//             a checkpoint's fc_scaling_factor.
// Rounding:   as LinearQuantizeHalfEven.
// Range:      as QuantizeWeightsPerChannel, scales.size() == rows, each scale as in
//             LinearQuantizeHalfEven; else InputError.
std::vector<std::int8_t> QuantizeWeightsWithScales(std::span<const float> weights, int rows,
                                                   int cols, std::span<const float> scales);

// Computes:   RN32(weight_scale * input_scale): the bias scale and the accumulator's output scale
//             of QuantLinear / QuantConv2d (fc_scaling_factor * prev_act_scaling_factor).
// Rounding:   the product to the nearest float32.
// Range:      finite positive scales whose product is finite and nonzero; else InputError.
float BiasScale(float weight_scale, float input_scale);

// Computes:   b_int[c] = LinearQuantizeHalfEven(bias[c], BiasScale(weight_scales[c], input_scale),
//             32), in [-2^31, 2^31 - 1].   // acc: int32, scale s_w[c]*s_x
// Rounding:   as BiasScale and LinearQuantizeHalfEven.
// Range:      bias.size() == weight_scales.size(), each element within the ranges above; else
//             InputError naming the channel.
std::vector<std::int32_t> QuantizeBiasPerChannel(std::span<const float> bias,
                                                 std::span<const float> weight_scales,
                                                 float input_scale);

}  // namespace intvit::model
