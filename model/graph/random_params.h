// Random but well-scaled integer parameters for any ModelConfig, without float: for tests of
// the executor, the compiler and the simulator that need a model of a given shape quickly.
// `intvit synth` makes realistic ones (model/quant/).
#pragma once

#include <cstdint>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

// Weights uniform in [-64, 63], small biases, and requant multipliers sized so that every
// activation keeps a useful spread instead of saturating or collapsing to zero.
ModelParams RandomModelParams(const ModelConfig& c, std::uint64_t seed);

// A random int8 image [in_channels, image_size, image_size].
Tensor RandomImage(const ModelConfig& c, std::uint64_t seed);

}  // namespace intvit::model
