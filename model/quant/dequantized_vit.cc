#include "model/quant/dequantized_vit.h"

#include <string>

#include "model/common/error.h"

namespace intvit::model {
namespace {

class Dequantizer {
 public:
  explicit Dequantizer(const ModelParams& p) : p_(p) {}

  const std::vector<float>& Ref(const std::string& key) const {
    auto it = p_.reference.find(key);
    Require(it != p_.reference.end(),
            "float comparison: the model has no tensor 'reference." + key +
                "' (models from intvit synth have it)");
    return it->second;
  }

  // One scale for all channels, or one per channel.
  static float At(const std::vector<float>& s, std::int64_t c) {
    return s.size() == 1 ? s[0] : s.at(static_cast<std::size_t>(c));
  }

  FloatLinear Linear(const std::string& m) const {
    const Tensor& w = p_.tensors.at(m + ".weight");
    const Tensor& b = p_.tensors.at(m + ".bias");
    const auto& ws = Ref(m + ".weight_scale");
    const auto& acc = Ref(m + ".scale");
    FloatLinear l;
    l.out = w.dim(0);
    l.in = w.dim(1);
    const auto wv = w.Span<std::int8_t>();
    const auto bv = b.Span<std::int32_t>();
    l.weight.resize(wv.size());
    for (std::int64_t o = 0; o < l.out; ++o) {
      for (std::int64_t k = 0; k < l.in; ++k) {
        l.weight[o * l.in + k] = static_cast<float>(wv[o * l.in + k]) * At(ws, o);
      }
      l.bias.push_back(static_cast<float>(bv[o]) * At(acc, o));
    }
    return l;
  }

  FloatLayerNorm Norm(const std::string& name) const { return {Ref(name + ".gamma"), Ref(name + ".beta")}; }

  std::vector<float> Scaled(const std::string& tensor, const std::string& scale_key) const {
    const Tensor& t = p_.tensors.at(tensor);
    const auto& s = Ref(scale_key);
    const std::int64_t cols = t.shape().back();
    std::vector<float> out(static_cast<std::size_t>(t.numel()));
    for (std::int64_t i = 0; i < t.numel(); ++i) {
      out[i] = static_cast<float>(t.ValueAt(i)) * At(s, i % cols);
    }
    return out;
  }

 private:
  const ModelParams& p_;
};

}  // namespace

FloatVit DequantizedVit(const ModelConfig& config, const ModelParams& params) {
  const Dequantizer d(params);
  FloatVit v;
  v.config = config;
  v.patch_embed = d.Linear("patch_embed.proj");
  v.cls_token = d.Scaled("cls_token", "cls_token.scale");
  v.pos_embed = d.Scaled("pos_embed", "pos_embed.scale");
  for (std::int64_t i = 0; i < config.depth; ++i) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    FloatBlock b;
    b.norm1 = d.Norm(p + "norm1");
    b.qkv = d.Linear(p + "attn.qkv");
    b.proj = d.Linear(p + "attn.proj");
    b.norm2 = d.Norm(p + "norm2");
    b.fc1 = d.Linear(p + "mlp.fc1");
    b.fc2 = d.Linear(p + "mlp.fc2");
    v.blocks.push_back(std::move(b));
  }
  v.norm = d.Norm("norm");
  v.head = d.Linear("head");
  return v;
}

}  // namespace intvit::model
