// Prepare time: seeded pictures that look like photographs to a ViT (smooth shading, objects with
// edges, texture, a little noise), not white noise. `intvit synth` calibrates on them and
// `intvit run --seed S` feeds one to the model. docs/synth.md §Synthetic images.
#pragma once

#include <cstdint>
#include <vector>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/quant/image_input.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

// An 8-bit picture [size, size, channels] drawn from `seed`: a two-colour linear gradient, a
// few smooth waves with amplitude falling as 1/frequency, two to five ellipses of random colour
// (some striped) with antialiased edges, and Gaussian noise of 1 % of full scale.
Image8 SyntheticPixels(std::int64_t channels, std::int64_t size, std::uint64_t seed);

// The normalized float image [in_channels, image_size, image_size] of SyntheticPixels, with
// InputMean/InputStd: what FloatForward takes.
std::vector<float> SyntheticImage(const ModelConfig& config, std::uint64_t seed);

// SyntheticImage quantized with the model's "input.scale" (and normalized with its
// "input.mean"/"input.std"): the int8 input [in_channels, image_size, image_size].
Tensor QuantizedSyntheticImage(const ModelConfig& config, const ModelParams& params,
                               std::uint64_t seed);

}  // namespace intvit::model
