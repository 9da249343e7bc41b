#include "model/graph/model_config.h"

namespace intvit::model {

const std::vector<ConfigField<ModelConfig>>& ModelConfigFields() {
  using C = ModelConfig;
  static const std::vector<ConfigField<C>> fields = {
      ChoiceField<C>("arch", "preset the config starts from",
                     &C::arch, {"deit-tiny", "deit-small", "deit-base", "vit-tiny-test", "custom"}),
      IntField<C>("image_size", "input image height = width, pixels", &C::image_size, 1, 4096),
      IntField<C>("patch_size", "patch height = width (conv kernel = stride)", &C::patch_size, 1, 64),
      IntField<C>("in_channels", "image channels", &C::in_channels, 1, 16),
      IntField<C>("embed_dim", "C, the token width", &C::embed_dim, 1, 8192),
      IntField<C>("depth", "number of transformer blocks", &C::depth, 1, 128),
      IntField<C>("num_heads", "attention heads; embed_dim / num_heads = head_dim", &C::num_heads, 1, 128),
      IntField<C>("mlp_hidden", "MLP hidden width (4 * embed_dim in DeiT)", &C::mlp_hidden, 1, 32768),
      IntField<C>("num_classes", "classifier outputs", &C::num_classes, 1, 100000),
      IntField<C>("softmax_n", "Shiftmax exp precision n (I-ViT: 15)", &C::softmax_n, 0, 30),
      IntField<C>("softmax_out_bits", "Shiftmax output bits B, scale 2^-(B-1) (I-ViT ViT: 16)",
                  &C::softmax_out_bits, 2, 16),
      IntField<C>("gelu_n", "ShiftGELU exp precision n (I-ViT: 23)", &C::gelu_n, 0, 30),
      IntField<C>("gelu_out_bits", "ShiftGELU sigmoid bits B (I-ViT: 8)", &C::gelu_out_bits, 2, 16),
      IntField<C>("div", "dividend of Shiftmax/ShiftGELU/LayerNorm: 2^31-1 (code) or 2^31 (float32 QAT)",
                  &C::div, 1, std::int64_t{1} << 31),
      ChoiceField<C>("rounding", "requantization rounding", &C::rounding, {"half_even", "half_up"}),
      IntField<C>("ln_sqrt_iters", "I-LayerNorm Newton steps (I-ViT: 10)", &C::ln_sqrt_iters, 0, 62),
      IntField<C>("ln_sqrt_init", "I-LayerNorm Newton start (I-ViT: 2^16)", &C::ln_sqrt_init, 1,
                  (std::int64_t{1} << 62) - 1),
  };
  return fields;
}

std::vector<std::string> ModelPresetNames() {
  return {"deit-tiny", "deit-small", "deit-base", "vit-tiny-test"};
}

ModelConfig ModelPreset(const std::string& name) {
  ModelConfig c;
  c.arch = name;
  if (name == "deit-tiny") {
    // defaults
  } else if (name == "deit-small") {
    c.embed_dim = 384, c.num_heads = 6, c.mlp_hidden = 1536;
  } else if (name == "deit-base") {
    c.embed_dim = 768, c.num_heads = 12, c.mlp_hidden = 3072;
  } else if (name == "vit-tiny-test") {
    c.image_size = 32, c.patch_size = 16, c.embed_dim = 64, c.depth = 2, c.num_heads = 2,
    c.mlp_hidden = 256, c.num_classes = 10;
  } else {
    std::string known;
    for (const auto& n : ModelPresetNames()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown model preset '" + name + "' (known: " + known + ")");
  }
  return c;
}

ModelConfig ParseModelConfig(const nlohmann::json& j, const std::string& where) {
  Require(j.is_object(), where + ": a model config must be a JSON object");
  ModelConfig c;
  if (j.contains("arch")) {
    Require(j["arch"].is_string(), where + ": arch must be a string");
    const auto arch = j["arch"].get<std::string>();
    if (arch != "custom") c = ModelPreset(arch);
  }
  ApplyConfigJson(c, ModelConfigFields(), j, where);
  // A file may only hold one of the two dividends I-ViT defines (docs/model-format.md); any
  // other value runs, but computes a model nobody trained (div = 1 scales the logits by 2^-31).
  constexpr std::int64_t kDivCode = (std::int64_t{1} << 31) - 1, kDivQat = std::int64_t{1} << 31;
  Require(c.div == kDivCode || c.div == kDivQat,
          where + ": div = " + std::to_string(c.div) +
              " is out of range {2147483647 (2^31-1, I-ViT's code), 2147483648 (2^31, float32 "
              "QAT)}");
  ValidateModelConfig(c, where);
  return c;
}

nlohmann::json ModelConfigToJson(const ModelConfig& c) {
  return ConfigToJson(c, ModelConfigFields());
}

void ValidateModelConfig(const ModelConfig& c, const std::string& where) {
  Require(c.image_size % c.patch_size == 0,
          where + ": image_size " + std::to_string(c.image_size) +
              " is not a multiple of patch_size " + std::to_string(c.patch_size));
  Require(c.embed_dim % c.num_heads == 0,
          where + ": embed_dim " + std::to_string(c.embed_dim) +
              " is not a multiple of num_heads " + std::to_string(c.num_heads));
  Require(c.tokens() <= 65536, where + ": more than 65536 tokens");
  Require(c.ln_sqrt_init >= (std::int64_t{1} << c.ln_sqrt_iters),
          where + ": ln_sqrt_init must be at least 2^ln_sqrt_iters so the Newton steps never "
                  "divide by zero");
  Require(c.patch_dim() <= 65536 && c.mlp_hidden <= 65536 && c.embed_dim <= 65536,
          where + ": a GEMM reduction dimension exceeds 65536 (int32 accumulators could overflow)");
}

}  // namespace intvit::model
