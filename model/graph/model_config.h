// ModelConfig: the shape of an integer ViT and the knobs of its integer semantics.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/arith/dyadic.h"
#include "model/common/config_fields.h"

namespace intvit::model {

struct ModelConfig {
  std::string arch = "deit-tiny";  // preset it started from, or "custom"
  std::int64_t image_size = 224;
  std::int64_t patch_size = 16;
  std::int64_t in_channels = 3;
  std::int64_t embed_dim = 192;
  std::int64_t depth = 12;
  std::int64_t num_heads = 3;
  std::int64_t mlp_hidden = 768;
  std::int64_t num_classes = 1000;
  // Integer semantics (docs/arithmetic.md).
  std::int64_t softmax_n = 15;
  std::int64_t softmax_out_bits = 16;
  std::int64_t gelu_n = 23;
  std::int64_t gelu_out_bits = 8;
  std::int64_t div = 2147483647;
  std::string rounding = "half_even";
  std::int64_t ln_sqrt_iters = 10;
  std::int64_t ln_sqrt_init = 65536;

  std::int64_t grid() const { return image_size / patch_size; }
  std::int64_t num_patches() const { return grid() * grid(); }
  std::int64_t tokens() const { return num_patches() + 1; }
  std::int64_t head_dim() const { return embed_dim / num_heads; }
  std::int64_t patch_dim() const { return in_channels * patch_size * patch_size; }
  Rounding rounding_mode() const {
    return rounding == "half_up" ? Rounding::kHalfUp : Rounding::kHalfEven;
  }
};

const std::vector<ConfigField<ModelConfig>>& ModelConfigFields();

// "deit-tiny", "deit-small", "deit-base", "vit-tiny-test" (2 blocks, 32x32, for tests).
std::vector<std::string> ModelPresetNames();
// Throws InputError for an unknown name.
ModelConfig ModelPreset(const std::string& name);

// Starts from the preset named by "arch" (default deit-tiny) and applies every other key.
// Unknown keys, wrong types and inconsistent shapes are InputErrors naming `where`.
ModelConfig ParseModelConfig(const nlohmann::json& j, const std::string& where);
nlohmann::json ModelConfigToJson(const ModelConfig& c);

// Cross-field checks: image divisible by patch, embed_dim by heads, and so on.
void ValidateModelConfig(const ModelConfig& c, const std::string& where);

}  // namespace intvit::model
