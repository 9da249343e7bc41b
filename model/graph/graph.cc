#include "model/graph/graph.h"

#include <stdexcept>

namespace intvit::model {

std::string_view OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kConvPatch: return "conv_patch";
    case OpKind::kRequant: return "requant";
    case OpKind::kConcatCls: return "concat_cls";
    case OpKind::kLayerNorm: return "layernorm";
    case OpKind::kLinear: return "linear";
    case OpKind::kAttnScores: return "attn_scores";
    case OpKind::kShiftmax: return "shiftmax";
    case OpKind::kAttnContext: return "attn_context";
    case OpKind::kShiftGelu: return "shiftgelu";
    case OpKind::kTakeClsRow: return "take_cls_row";
  }
  return "?";
}

int Graph::FindTensor(std::string_view name) const {
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const Tensor& Graph::Constant(int tensor_id) const {
  const TensorInfo& t = tensors.at(tensor_id);
  if (!t.is_constant) throw std::logic_error("tensor " + t.name + " is not a constant");
  return params.tensors.at(t.name);
}

Graph::GemmDims Graph::Dims(const Node& n) const {
  const std::int64_t t = config.tokens(), d = config.head_dim();
  switch (n.kind) {
    case OpKind::kConvPatch:
      return {config.num_patches(), config.embed_dim, config.patch_dim()};
    case OpKind::kLinear: {
      const auto& w = tensors.at(n.inputs.at(1)).shape;
      return {tensors.at(n.inputs.at(0)).shape.at(0), w.at(0), w.at(1)};
    }
    case OpKind::kAttnScores:
      return {t, t, d};
    case OpKind::kAttnContext:
      return {t, d, t};
    default:
      return {};
  }
}

std::int64_t Graph::Macs(const Node& n) const {
  const GemmDims g = Dims(n);
  return g.m * g.n * g.k;
}

std::int64_t Graph::TotalMacs() const {
  std::int64_t total = 0;
  for (const Node& n : nodes) total += Macs(n);
  return total;
}

}  // namespace intvit::model
