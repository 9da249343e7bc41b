#include "model/exec/node_kernels.h"

#include <stdexcept>
#include <vector>

#include "model/exec/run_reference.h"
#include "model/ops/conv_patch.h"
#include "model/ops/gemm_int8.h"

namespace intvit::model {
namespace {

const Tensor& Input(const Graph& g, const GoldenTrace& trace, int id) {
  return g.tensors.at(id).is_constant ? g.Constant(id) : trace.Get(id);
}

Tensor NewOutput(const Graph& g, int id) {
  const TensorInfo& t = g.tensors.at(id);
  return Tensor(t.dtype, t.shape);
}

// Copies columns [col0, col0 + width) of a row-major [rows, cols] int8 matrix.
std::vector<std::int8_t> Columns(std::span<const std::int8_t> m, std::int64_t rows,
                                 std::int64_t cols, std::int64_t col0, std::int64_t width) {
  std::vector<std::int8_t> out(rows * width);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < width; ++c) out[r * width + c] = m[r * cols + col0 + c];
  }
  return out;
}

template <typename In, typename Out>
void RequantTyped(GemmIsa isa, const RequantParams& p, const Tensor* res, const Tensor& x,
                  Tensor& y) {
  const std::int64_t channels = x.shape().back();
  if (res == nullptr) {
    Requant<In, In, Out>(isa, p, channels, x.Span<In>(), std::span<const In>{}, y.Span<Out>());
  } else {
    Requant<In, In, Out>(isa, p, channels, x.Span<In>(), res->Span<In>(), y.Span<Out>());
  }
}

void RunRequant(const Graph& g, const Node& n, GemmIsa isa, const GoldenTrace& trace,
                Tensor& y) {
  const RequantParams& p = g.params.requants.at(n.params_key);
  const Tensor& x = Input(g, trace, n.inputs[0]);
  const Tensor* res = n.inputs.size() > 1 ? &Input(g, trace, n.inputs[1]) : nullptr;
  const bool out8 = y.dtype() == DType::kInt8;
  switch (x.dtype()) {
    case DType::kInt16:
      return out8 ? RequantTyped<std::int16_t, std::int8_t>(isa, p, res, x, y)
                  : RequantTyped<std::int16_t, std::int16_t>(isa, p, res, x, y);
    case DType::kInt32:
      return out8 ? RequantTyped<std::int32_t, std::int8_t>(isa, p, res, x, y)
                  : RequantTyped<std::int32_t, std::int16_t>(isa, p, res, x, y);
    case DType::kInt64:
      return out8 ? RequantTyped<std::int64_t, std::int8_t>(isa, p, res, x, y)
                  : RequantTyped<std::int64_t, std::int16_t>(isa, p, res, x, y);
    default:
      throw std::logic_error("requant " + n.name + ": unsupported input dtype");
  }
}

}  // namespace

void RunNode(const Graph& g, const Node& n, GemmIsa isa, GoldenTrace& trace) {
  const ModelConfig& c = g.config;
  const std::int64_t t = c.tokens(), C = c.embed_dim, d = c.head_dim();
  if (n.kind == OpKind::kAttnContext) {
    if (!trace.Has(n.output)) trace.Set(n.output, NewOutput(g, n.output));
    const Tensor& probs = trace.Get(n.inputs[0]);
    const auto qkv = trace.Get(n.inputs[1]).Span<std::int8_t>();
    const auto v = Columns(qkv, t, 3 * C, 2 * C + n.head * d, d);
    std::vector<std::int32_t> ctx(t * d);
    const PackedInt8KxN packed_v = PackInt8KxN(v, t, d);
    GemmUint16Int8(isa, t, probs.Span<std::uint16_t>().data(), packed_v, ctx.data());
    auto out = trace.Mutable(n.output).Span<std::int32_t>();
    for (std::int64_t r = 0; r < t; ++r) {
      for (std::int64_t k = 0; k < d; ++k) out[r * C + n.head * d + k] = ctx[r * d + k];
    }
    return;
  }
  Tensor y = NewOutput(g, n.output);
  switch (n.kind) {
    case OpKind::kConvPatch: {
      // im2col in (channel, row, col) order, then the Linear kernel: the same sum as ConvPatch.
      const ConvPatchShape s{c.in_channels, c.image_size, c.image_size, c.patch_size, C};
      const auto cols = Im2colPatches(s, Input(g, trace, n.inputs[0]).Span<std::int8_t>());
      GemmInt8(isa, s.NumPatches(), cols.data(), g.packed.at(n.inputs[1]),
               g.Constant(n.inputs[2]).Span<std::int32_t>().data(), y.Span<std::int32_t>().data());
      break;
    }
    case OpKind::kRequant:
      RunRequant(g, n, isa, trace, y);
      break;
    case OpKind::kConcatCls: {
      auto out = y.Span<std::int16_t>();
      const auto cls = g.Constant(n.inputs[1]).Span<std::int16_t>();
      const auto patches = Input(g, trace, n.inputs[0]).Span<std::int16_t>();
      std::copy(cls.begin(), cls.end(), out.begin());
      std::copy(patches.begin(), patches.end(), out.begin() + C);
      break;
    }
    case OpKind::kLayerNorm:
      IntLayerNorm(g.params.layernorms.at(n.params_key), C,
                   Input(g, trace, n.inputs[0]).Span<std::int16_t>(), y.Span<std::int64_t>());
      break;
    case OpKind::kLinear: {
      const Graph::GemmDims dims = g.Dims(n);
      GemmInt8(isa, dims.m, Input(g, trace, n.inputs[0]).Span<std::int8_t>().data(),
               g.packed.at(n.inputs[1]), g.Constant(n.inputs[2]).Span<std::int32_t>().data(),
               y.Span<std::int32_t>().data());
      break;
    }
    case OpKind::kAttnScores: {
      // q_h . k_h^T is a Linear with k_h as the weight: scores[i, j] = sum_k q[i,k] * k[j,k].
      const auto qkv = Input(g, trace, n.inputs[0]).Span<std::int8_t>();
      const auto q = Columns(qkv, t, 3 * C, n.head * d, d);
      const auto k = Columns(qkv, t, 3 * C, C + n.head * d, d);
      const PackedInt8Weights packed_k = PackInt8Weights(k, t, d);
      GemmInt8(isa, t, q.data(), packed_k, nullptr, y.Span<std::int32_t>().data());
      break;
    }
    case OpKind::kShiftmax:
      Shiftmax(g.params.shiftmaxes.at(n.params_key), t,
               Input(g, trace, n.inputs[0]).Span<std::int8_t>(), y.Span<std::uint16_t>());
      break;
    case OpKind::kShiftGelu:
      ShiftGelu(g.params.gelus.at(n.params_key), c.mlp_hidden,
                Input(g, trace, n.inputs[0]).Span<std::int8_t>(), y.Span<std::int32_t>());
      break;
    case OpKind::kTakeClsRow: {
      const auto x = Input(g, trace, n.inputs[0]).Span<std::int16_t>();
      std::copy(x.begin(), x.begin() + C, y.Span<std::int16_t>().begin());
      break;
    }
    case OpKind::kAttnContext:
      break;  // handled above
  }
  trace.Set(n.output, std::move(y));
}

}  // namespace intvit::model
