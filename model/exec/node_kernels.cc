#include "model/exec/node_kernels.h"

#include <cstring>
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

// Every op below writes every element of its output (the attention-context heads together
// cover all columns), so a recycled tensor with stale contents is as good as a zeroed one.
Tensor NewOutput(const Graph& g, int id, GoldenTrace& trace) {
  const TensorInfo& t = g.tensors.at(id);
  return trace.NewTensor(t.dtype, t.shape);
}

// Copies columns [col0, col0 + width) of a row-major [rows, cols] int8 matrix into `out`.
void ColumnsInto(std::span<const std::int8_t> m, std::int64_t rows, std::int64_t cols,
                 std::int64_t col0, std::int64_t width, std::vector<std::int8_t>& out) {
  out.resize(static_cast<std::size_t>(rows * width));
  for (std::int64_t r = 0; r < rows; ++r) {
    std::memcpy(out.data() + r * width, m.data() + r * cols + col0,
                static_cast<std::size_t>(width));
  }
}

// Per-thread scratch of the per-head attention nodes, reused across heads and images so that
// head slices and packed operands cost no allocation. Thread-local because RunNode may run on
// several threads (one image each); every use overwrites what it reads.
struct AttnScratch {
  std::vector<std::int8_t> q, k, v;
  std::vector<std::int32_t> ctx;
  PackedInt8Weights packed_k;
  PackedInt8KxN packed_v;
};

AttnScratch& Scratch() {
  thread_local AttnScratch scratch;
  return scratch;
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
    if (!trace.Has(n.output)) trace.Set(n.output, NewOutput(g, n.output, trace));
    const Tensor& probs = trace.Get(n.inputs[0]);
    const auto qkv = trace.Get(n.inputs[1]).Span<std::int8_t>();
    AttnScratch& s = Scratch();
    ColumnsInto(qkv, t, 3 * C, 2 * C + n.head * d, d, s.v);
    s.ctx.resize(static_cast<std::size_t>(t * d));
    PackInt8KxNInto(s.v, t, d, &s.packed_v);
    GemmUint16Int8(isa, t, probs.Span<std::uint16_t>().data(), s.packed_v, s.ctx.data());
    auto out = trace.Mutable(n.output).Span<std::int32_t>();
    for (std::int64_t r = 0; r < t; ++r) {
      std::memcpy(out.data() + r * C + n.head * d, s.ctx.data() + r * d,
                  static_cast<std::size_t>(d) * sizeof(std::int32_t));
    }
    return;
  }
  Tensor y = NewOutput(g, n.output, trace);
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
      AttnScratch& s = Scratch();
      ColumnsInto(qkv, t, 3 * C, n.head * d, d, s.q);
      ColumnsInto(qkv, t, 3 * C, C + n.head * d, d, s.k);
      PackInt8WeightsInto(s.k, t, d, &s.packed_k);
      GemmInt8(isa, t, s.q.data(), s.packed_k, nullptr, y.Span<std::int32_t>().data());
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
