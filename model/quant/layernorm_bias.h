// Prepare time: I-LayerNorm's constants. I-ViT's IntLayerNorm folds beta / gamma into an integer
// bias added to the normalized value (~ (x - mean) / std * 2^30), and leaves gamma in the
// per-channel output scale, which the next requantization absorbs as a per-channel (m_c, e_c).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace intvit::model {

// |bias_int| above this is rejected: the LayerNorm adds bias_int to a value below 2^48 in
// magnitude, and the sum must stay inside int64.
inline constexpr std::int64_t kLayerNormMaxAbsBiasInt = std::int64_t{1} << 62;

// Computes:   RN32(sqrtf(float(C)) / 2^30): IntLayerNorm's scaling_factor = dim_sqrt / 2**30
//             with dim_sqrt = torch.sqrt(float32 C).
// Rounding:   the square root to the nearest float32 (IEEE sqrt); the division by 2^30 is exact.
//             sqrtf(192) = 14529495 * 2^-20 = 13.8564062..., not sqrt(192) = 13.8564064...
// Range:      channels in [1, 2^24] (exact as float32); else InputError.
float LayerNormScalingFactor(int channels);

// Computes:   floor(RN32(RN32(beta / gamma) / scaling_factor)), in float32 as
//             floor_ste(bias / scaling_factor) with bias = beta / gamma.
// Rounding:   each division to the nearest float32, then floor (toward minus infinity). The
//             quotient usually exceeds 2^24, so it is already an integer and a multiple of a
//             power of two; it differs from floor of the exact beta / gamma * 2^30 / sqrt(C).
// Range:      finite gamma != 0 and beta, finite scaling_factor > 0, |result| <=
//             kLayerNormMaxAbsBiasInt. The result may exceed int32 when |gamma| is small.
//             Anything else throws InputError.
std::int64_t LayerNormBiasInt(float gamma, float beta, float scaling_factor);

// Computes:   RN32(scaling_factor * gamma): the per-channel output scale of the LayerNorm
//             (negative when gamma is), the s_in of the following requantization.
// Rounding:   the product to the nearest float32.
// Range:      finite gamma != 0, finite scaling_factor > 0, a product that neither overflows nor
//             underflows to 0; else InputError.
float LayerNormOutputScale(float gamma, float scaling_factor);

// All of a LayerNorm's prepare-time constants, one entry per channel.
struct LayerNormConstants {
  float scaling_factor = 0.0f;         // sqrtf(C) / 2^30
  std::vector<std::int64_t> bias_int;  // LayerNormBiasInt per channel
  std::vector<float> output_scale;     // LayerNormOutputScale per channel
};

// Computes:   LayerNormConstants for C = gamma.size() channels, from the affine parameters.
// Rounding:   as the three functions above.
// Range:      gamma.size() == beta.size() in [1, 2^24], each channel within the ranges above;
//             else InputError naming the channel.
LayerNormConstants PrepareLayerNormConstants(std::span<const float> gamma,
                                             std::span<const float> beta);

}  // namespace intvit::model
