#include "model/graph/vit_builder.h"

#include <utility>

#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr std::int64_t kInt32Max = 2147483647;

// Accumulates the graph while checking each parameter as it is referenced.
class Builder {
 public:
  Builder(const ModelConfig& c, ModelParams p) : c_(c) {
    g_.config = c;
    g_.params = std::move(p);
  }

  int Activation(const std::string& name, DType dtype, std::vector<std::int64_t> shape) {
    g_.tensors.push_back({name, dtype, std::move(shape), false});
    return static_cast<int>(g_.tensors.size()) - 1;
  }

  int Constant(const std::string& name, DType dtype, std::vector<std::int64_t> shape) {
    auto it = g_.params.tensors.find(name);
    Require(it != g_.params.tensors.end(), "model parameter '" + name + "' is missing");
    Require(it->second.dtype() == dtype,
            "model parameter '" + name + "' has dtype " + std::string(DTypeName(it->second.dtype())) +
                "; expected " + std::string(DTypeName(dtype)));
    Require(it->second.shape() == shape,
            "model parameter '" + name + "' has shape " + ShapeString(it->second.shape()) +
                "; the config needs " + ShapeString(shape));
    g_.tensors.push_back({name, dtype, std::move(shape), true});
    return static_cast<int>(g_.tensors.size()) - 1;
  }

  void AddNode(Node n) { g_.nodes.push_back(std::move(n)); }

  // A Linear/Conv: weight [N, K] int8 and bias [N] int32 whose worst-case accumulator fits.
  std::pair<int, int> Weights(const std::string& module, std::int64_t n, std::int64_t k) {
    const int w = Constant(module + ".weight", DType::kInt8, {n, k});
    const int b = Constant(module + ".bias", DType::kInt32, {n});
    const std::int64_t worst_sum = k * 128 * 128;
    const auto bias = g_.params.tensors.at(module + ".bias").Span<std::int32_t>();
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t mag = bias[i] < 0 ? -std::int64_t{bias[i]} : bias[i];
      Require(mag + worst_sum <= kInt32Max,
              "model parameter '" + module + ".bias'[" + std::to_string(i) + "] = " +
                  std::to_string(bias[i]) + " could overflow the int32 accumulator (K = " +
                  std::to_string(k) + ")");
    }
    return {w, b};
  }

  int Requant(const std::string& name, int x, int res, int out_bits, std::int64_t channels,
              std::vector<std::int64_t> shape) {
    auto it = g_.params.requants.find(name);
    Require(it != g_.params.requants.end(), "requant parameters '" + name + "' are missing");
    RequantParams& p = it->second;
    Require(p.out_bits == out_bits, "requant '" + name + "' has out_bits " +
                                        std::to_string(p.out_bits) + "; I-ViT uses " +
                                        std::to_string(out_bits) + " here");
    Require(p.HasResidual() == (res >= 0),
            "requant '" + name + (res >= 0 ? "' needs residual multipliers (m_res, e_res)"
                                           : "' must not have residual multipliers"));
    p.rounding = c_.rounding_mode();
    try {
      CheckRequantParams(p, channels);
    } catch (const InputError& e) {
      throw InputError("'" + name + "': " + e.what());
    }
    const int out = Activation(name, out_bits == 8 ? DType::kInt8 : DType::kInt16, shape);
    std::vector<int> in = {x};
    if (res >= 0) in.push_back(res);
    AddNode({name, OpKind::kRequant, in, out, -1, name});
    return out;
  }

  int RequantHead(const std::string& key, int head, int x, std::int64_t t) {
    // Per-head requant nodes share one parameter entry.
    const std::string name = key + ".h" + std::to_string(head);
    auto it = g_.params.requants.find(key);
    Require(it != g_.params.requants.end(), "requant parameters '" + key + "' are missing");
    Require(it->second.mult.size() == 1 && !it->second.HasResidual() && it->second.out_bits == 8,
            "requant '" + key + "' must be per-tensor, 8-bit, without residual");
    it->second.rounding = c_.rounding_mode();
    try {
      CheckRequantParams(it->second, t);
    } catch (const InputError& e) {
      throw InputError("'" + key + "': " + e.what());
    }
    const int out = Activation(name, DType::kInt8, {t, t});
    AddNode({name, OpKind::kRequant, {x}, out, head, key});
    return out;
  }

  int LayerNorm(const std::string& name, int x, std::int64_t rows) {
    auto it = g_.params.layernorms.find(name);
    Require(it != g_.params.layernorms.end(), "layernorm parameters '" + name + "' are missing");
    it->second.sqrt_iters = static_cast<int>(c_.ln_sqrt_iters);
    it->second.sqrt_init = c_.ln_sqrt_init;
    it->second.div = c_.div;
    try {
      CheckLayerNormParams(it->second, c_.embed_dim);
    } catch (const InputError& e) {
      throw InputError("'" + name + "': " + e.what());
    }
    const int out = Activation(name, DType::kInt64, {rows, c_.embed_dim});
    AddNode({name, OpKind::kLayerNorm, {x}, out, -1, name});
    return out;
  }

  int Linear(const std::string& module, int x, std::int64_t rows, std::int64_t n, std::int64_t k) {
    auto [w, b] = Weights(module, n, k);
    const int out = Activation(module, DType::kInt32, {rows, n});
    AddNode({module, OpKind::kLinear, {x, w, b}, out, -1, ""});
    return out;
  }

  void CheckShiftmax(const std::string& key) {
    auto it = g_.params.shiftmaxes.find(key);
    Require(it != g_.params.shiftmaxes.end(), "shiftmax parameters '" + key + "' are missing");
    it->second.n = static_cast<int>(c_.softmax_n);
    it->second.out_bits = static_cast<int>(c_.softmax_out_bits);
    it->second.div = c_.div;
    try {
      CheckShiftmaxParams(it->second);
    } catch (const InputError& e) {
      throw InputError("'" + key + "': " + e.what());
    }
  }

  void CheckGelu(const std::string& key) {
    auto it = g_.params.gelus.find(key);
    Require(it != g_.params.gelus.end(), "shiftgelu parameters '" + key + "' are missing");
    it->second.n = static_cast<int>(c_.gelu_n);
    it->second.out_bits = static_cast<int>(c_.gelu_out_bits);
    it->second.div = c_.div;
    try {
      CheckShiftGeluParams(it->second);
    } catch (const InputError& e) {
      throw InputError("'" + key + "': " + e.what());
    }
  }

  int Block(int index, int x) {
    const std::string p = "blocks." + std::to_string(index) + ".";
    const std::int64_t t = c_.tokens(), C = c_.embed_dim, h = c_.mlp_hidden;
    int v = LayerNorm(p + "norm1", x, t);
    v = Requant(p + "qact1", v, -1, 8, C, {t, C});
    v = Linear(p + "attn.qkv", v, t, 3 * C, C);
    const int qkv = Requant(p + "attn.qact1", v, -1, 8, 3 * C, {t, 3 * C});
    CheckShiftmax(p + "attn.int_softmax");
    const int ctx = Activation(p + "attn.matmul_2", DType::kInt32, {t, C});
    for (int head = 0; head < c_.num_heads; ++head) {
      const std::string hs = ".h" + std::to_string(head);
      const int scores = Activation(p + "attn.matmul_1" + hs, DType::kInt32, {t, t});
      AddNode({p + "attn.matmul_1" + hs, OpKind::kAttnScores, {qkv}, scores, head, ""});
      const int logits = RequantHead(p + "attn.qact_attn1", head, scores, t);
      const int probs = Activation(p + "attn.int_softmax" + hs, DType::kUint16, {t, t});
      AddNode({p + "attn.int_softmax" + hs, OpKind::kShiftmax, {logits}, probs, head,
               p + "attn.int_softmax"});
      AddNode({p + "attn.matmul_2" + hs, OpKind::kAttnContext, {probs, qkv}, ctx, head, ""});
    }
    v = Requant(p + "attn.qact2", ctx, -1, 8, C, {t, C});
    v = Linear(p + "attn.proj", v, t, C, C);
    v = Requant(p + "attn.qact3", v, -1, 16, C, {t, C});
    const int x2 = Requant(p + "qact2", v, x, 16, C, {t, C});
    v = LayerNorm(p + "norm2", x2, t);
    v = Requant(p + "qact3", v, -1, 8, C, {t, C});
    v = Linear(p + "mlp.fc1", v, t, h, C);
    v = Requant(p + "mlp.qact_gelu", v, -1, 8, h, {t, h});
    CheckGelu(p + "mlp.act");
    const int g = Activation(p + "mlp.act", DType::kInt32, {t, h});
    AddNode({p + "mlp.act", OpKind::kShiftGelu, {v}, g, -1, p + "mlp.act"});
    v = Requant(p + "mlp.qact1", g, -1, 8, h, {t, h});
    v = Linear(p + "mlp.fc2", v, t, C, h);
    v = Requant(p + "mlp.qact2", v, -1, 16, C, {t, C});
    return Requant(p + "qact4", v, x2, 16, C, {t, C});
  }

  Graph Build() {
    const std::int64_t C = c_.embed_dim, np = c_.num_patches(), t = c_.tokens();
    g_.input = Activation("input", DType::kInt8, {c_.in_channels, c_.image_size, c_.image_size});
    auto [pw, pb] = Weights("patch_embed.proj", C, c_.patch_dim());
    int v = Activation("patch_embed.proj", DType::kInt32, {np, C});
    AddNode({"patch_embed.proj", OpKind::kConvPatch, {g_.input, pw, pb}, v, -1, ""});
    v = Requant("patch_embed.qact", v, -1, 16, C, {np, C});
    const int cls = Constant("cls_token", DType::kInt16, {1, C});
    const int cat = Activation("cls_concat", DType::kInt16, {t, C});
    AddNode({"cls_concat", OpKind::kConcatCls, {v, cls}, cat, -1, ""});
    const int pos = Constant("pos_embed", DType::kInt16, {t, C});
    v = Requant("qact1", cat, pos, 16, C, {t, C});
    for (int i = 0; i < c_.depth; ++i) v = Block(i, v);
    const int row = Activation("cls_select", DType::kInt16, {1, C});
    AddNode({"cls_select", OpKind::kTakeClsRow, {v}, row, -1, ""});
    v = LayerNorm("norm", row, 1);
    v = Requant("qact2", v, -1, 8, C, {1, C});
    g_.output = Linear("head", v, 1, c_.num_classes, C);
    for (const Node& n : g_.nodes) {
      if (n.kind != OpKind::kLinear && n.kind != OpKind::kConvPatch) continue;
      const int w = n.inputs.at(1);
      const auto& shape = g_.tensors[w].shape;
      g_.packed.emplace(w, PackInt8Weights(g_.Constant(w).Span<std::int8_t>(), shape[0], shape[1]));
    }
    return std::move(g_);
  }

 private:
  const ModelConfig& c_;
  Graph g_;
};

}  // namespace

Graph BuildVitGraph(const ModelConfig& config, ModelParams params) {
  ValidateModelConfig(config, "model config");
  return Builder(config, std::move(params)).Build();
}

ParamNames RequiredParamNames(const ModelConfig& c) {
  ParamNames n;
  auto lin = [&](const std::string& m) {
    n.tensors.push_back(m + ".weight");
    n.tensors.push_back(m + ".bias");
  };
  lin("patch_embed.proj");
  n.requants.push_back("patch_embed.qact");
  n.tensors.push_back("cls_token");
  n.tensors.push_back("pos_embed");
  n.requants.push_back("qact1");
  for (int i = 0; i < c.depth; ++i) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    n.layernorms.push_back(p + "norm1");
    n.requants.push_back(p + "qact1");
    lin(p + "attn.qkv");
    n.requants.push_back(p + "attn.qact1");
    n.requants.push_back(p + "attn.qact_attn1");
    n.shiftmaxes.push_back(p + "attn.int_softmax");
    n.requants.push_back(p + "attn.qact2");
    lin(p + "attn.proj");
    n.requants.push_back(p + "attn.qact3");
    n.requants.push_back(p + "qact2");
    n.layernorms.push_back(p + "norm2");
    n.requants.push_back(p + "qact3");
    lin(p + "mlp.fc1");
    n.requants.push_back(p + "mlp.qact_gelu");
    n.gelus.push_back(p + "mlp.act");
    n.requants.push_back(p + "mlp.qact1");
    lin(p + "mlp.fc2");
    n.requants.push_back(p + "mlp.qact2");
    n.requants.push_back(p + "qact4");
  }
  n.layernorms.push_back("norm");
  n.requants.push_back("qact2");
  lin("head");
  return n;
}

}  // namespace intvit::model
