// Prepare time: a float32 ViT with seeded weights for any ModelConfig, the float model that
// `intvit synth` calibrates and quantizes (docs/synth.md). Its layout follows I-ViT's DeiT
// (models/vit_quant.py): patch conv, cls token, position embedding, pre-norm blocks, final
// LayerNorm on the cls token, linear head.
#pragma once

#include <cstdint>
#include <vector>

#include "model/graph/model_config.h"

namespace intvit::model {

// y = x W^T + b, PyTorch's nn.Linear layout.
struct FloatLinear {
  std::int64_t out = 0, in = 0;
  std::vector<float> weight;  // [out, in], row-major
  std::vector<float> bias;    // [out]
};

struct FloatLayerNorm {
  std::vector<float> gamma;  // [C]; some entries are negative on purpose
  std::vector<float> beta;   // [C]
};

struct FloatBlock {
  FloatLayerNorm norm1;
  FloatLinear qkv;  // [3C, C]: rows [0, C) are q, [C, 2C) k, [2C, 3C) v; head h owns d rows each
  FloatLinear proj;
  FloatLayerNorm norm2;
  FloatLinear fc1;  // [H, C]
  FloatLinear fc2;  // [C, H]
};

struct FloatVit {
  ModelConfig config;
  FloatLinear patch_embed;       // the conv as [C, Cin*P*P], columns ordered (cin, i, j)
  std::vector<float> cls_token;  // [C]
  std::vector<float> pos_embed;  // [T, C], row 0 belongs to the cls token
  std::vector<FloatBlock> blocks;
  FloatLayerNorm norm;
  FloatLinear head;                            // [classes, C]
  std::vector<std::int64_t> outlier_channels;  // residual-stream channels with a large offset
  // The normalization the model was trained with, one value per input channel; empty means
  // ImageNet's (InputMean / InputStd), which synthesized models use.
  std::vector<float> input_mean, input_std;
};

// Builds the float ViT of `config` from `seed` alone: DeiT's truncated-normal initialization,
// then a fixed, documented recipe that gives it the statistics of a trained network instead of
// a freshly initialized one (docs/synth.md): weight gains per layer kind and per output channel,
// correlated query/key projections, a smooth position embedding, LayerNorm gammas around 1
// with a few negative ones, betas and biases that are not zero, and a few outlier channels in
// the residual stream. Throws InputError for a config that ValidateModelConfig rejects.
FloatVit MakeSyntheticVit(const ModelConfig& config, std::uint64_t seed);

}  // namespace intvit::model
