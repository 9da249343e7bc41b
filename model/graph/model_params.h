// ModelParams: every integer run-time parameter of a quantized ViT, keyed by I-ViT's module
// names ("blocks.3.attn.qkv.weight", "blocks.3.attn.qact1", ...). A model file holds exactly
// this (docs/model-format.md); the ViT builder turns it into a Graph.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/ops/layer_norm.h"
#include "model/ops/requant.h"
#include "model/ops/shift_gelu.h"
#include "model/ops/shiftmax.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

struct ModelParams {
  // Weights (int8), biases (int32), cls token and position embedding (int16).
  std::map<std::string, Tensor> tensors;
  // One entry per QuantAct with a previous scale, e.g. "blocks.0.attn.qact_attn1".
  std::map<std::string, RequantParams> requants;
  std::map<std::string, ShiftmaxParams> shiftmaxes;  // "blocks.0.attn.int_softmax"
  std::map<std::string, ShiftGeluParams> gelus;      // "blocks.0.mlp.act"
  std::map<std::string, LayerNormParams> layernorms; // "blocks.0.norm1", "norm"
  // Float values kept for reports, image quantization and the float comparison only; the
  // integer model never reads them. Keys: "<tensor>.scale" for an activation's scale (one
  // value, or one per channel), "input.scale" for the image, "<module>.weight_scale",
  // "<norm>.gamma" and "<norm>.beta", "input.mean" and "input.std" (per channel).
  std::map<std::string, std::vector<float>> reference;
};

}  // namespace intvit::model
