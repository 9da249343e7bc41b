// The float ViT that an integer model stands for, rebuilt from the model file alone: weights
// and biases dequantized with their reference scales, LayerNorm gamma and beta from the
// reference values. `intvit run --compare-float` compares against it when the original float
// weights are not at hand (any model file, not only one intvit synthesized in this process).
#pragma once

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

// Computes:   weight[c][k] = w_int[c][k] * reference["<m>.weight_scale"][c];
//             bias[c] = b_int[c] * reference["<m>.scale"][c] (the accumulator scale
//             s_w[c] * s_x); cls and pos = int16 values * their scales; gamma and beta as
//             stored.
// Range:      params carry the reference values intvit synth writes; InputError naming the
//             first missing key otherwise.
FloatVit DequantizedVit(const ModelConfig& config, const ModelParams& params);

}  // namespace intvit::model
