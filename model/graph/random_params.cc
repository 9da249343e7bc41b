#include "model/graph/random_params.h"

#include <bit>
#include <random>

#include "model/graph/vit_builder.h"

namespace intvit::model {
namespace {

// 2^30..2^31 mantissa with an exponent giving roughly `1 / divisor`.
Dyadic Shrink(std::mt19937_64& rng, std::uint64_t divisor) {
  std::uniform_int_distribution<std::int64_t> m(std::int64_t{1} << 30, (std::int64_t{1} << 31) - 1);
  return Dyadic{m(rng), 31 + static_cast<int>(std::bit_width(divisor)) - 1};
}

}  // namespace

ModelParams RandomModelParams(const ModelConfig& c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  ModelParams p;
  const ParamNames names = RequiredParamNames(c);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (const auto& name : names.tensors) {
    const bool bias = name.ends_with(".bias");
    std::string module = name.substr(0, name.rfind('.'));
    std::vector<std::int64_t> shape;
    DType dtype = DType::kInt8;
    if (name == "cls_token") {
      shape = {1, c.embed_dim}, dtype = DType::kInt16;
    } else if (name == "pos_embed") {
      shape = {c.tokens(), c.embed_dim}, dtype = DType::kInt16;
    } else {
      std::int64_t n = c.embed_dim, k = c.embed_dim;
      if (module == "patch_embed.proj") k = c.patch_dim();
      if (module.ends_with("attn.qkv")) n = 3 * c.embed_dim;
      if (module.ends_with("mlp.fc1")) n = c.mlp_hidden;
      if (module.ends_with("mlp.fc2")) k = c.mlp_hidden;
      if (module == "head") n = c.num_classes;
      shape = bias ? std::vector<std::int64_t>{n} : std::vector<std::int64_t>{n, k};
      dtype = bias ? DType::kInt32 : DType::kInt8;
    }
    Tensor t(dtype, shape);
    std::vector<std::int64_t> v(t.numel());
    for (auto& x : v) {
      x = dtype == DType::kInt8 ? uniform(-64, 63)
          : dtype == DType::kInt32 ? uniform(-4096, 4096)
                                   : uniform(-2000, 2000);
    }
    p.tensors[name] = Tensor::FromInt64(dtype, shape, v);
  }
  // Per requant point: output bits, a divisor that keeps outputs spread (int8 near +-40, int16
  // near +-4000) for the weights above, and whether it adds a residual branch.
  struct Rule {
    const char* suffix;
    int out_bits;
    std::uint64_t divisor;
    bool residual;
  };
  static constexpr Rule kRules[] = {
      {"patch_embed.qact", 16, 16, false},      {"attn.qact1", 8, 256, false},
      {"attn.qact_attn1", 8, 256, false},       {"attn.qact2", 8, std::uint64_t{1} << 14, false},
      {"attn.qact3", 16, 4, false},             {"mlp.qact_gelu", 8, 256, false},
      {"mlp.qact1", 8, 64, false},              {"mlp.qact2", 16, 4, false},
      {"qact4", 16, 2, true},
  };
  for (const auto& name : names.requants) {
    // Module name without the "blocks.<i>." prefix.
    std::string local = name;
    if (name.starts_with("blocks.")) local = name.substr(name.find('.', 7) + 1);
    Rule rule{"", 8, std::uint64_t{1} << 22, false};  // LayerNorm (~2^30) -> int8
    if (name == "qact1" || (name != local && local == "qact2")) rule = {"", 16, 2, true};
    for (const Rule& r : kRules) {
      if (local == r.suffix) rule = r;
    }
    RequantParams r;
    r.out_bits = rule.out_bits;
    r.mult.push_back(Shrink(rng, rule.divisor));
    if (rule.residual) r.mult_res.push_back(Shrink(rng, 2));
    p.requants[name] = r;
  }
  for (const auto& name : names.shiftmaxes) p.shiftmaxes[name] = ShiftmaxParams{-uniform(10, 60)};
  for (const auto& name : names.gelus) p.gelus[name] = ShiftGeluParams{-uniform(5, 30)};
  for (const auto& name : names.layernorms) {
    LayerNormParams ln;
    for (std::int64_t i = 0; i < c.embed_dim; ++i) ln.bias_int.push_back(uniform(-(1 << 28), 1 << 28));
    p.layernorms[name] = ln;
  }
  return p;
}

Tensor RandomImage(const ModelConfig& c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(-128, 127);
  Tensor t(DType::kInt8, {c.in_channels, c.image_size, c.image_size});
  for (auto& v : t.Span<std::int8_t>()) v = static_cast<std::int8_t>(d(rng));
  return t;
}

}  // namespace intvit::model
