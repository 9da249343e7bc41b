// Graph: the integer ViT as a list of nodes in execution order over named tensors. The golden
// executor runs it, the compiler lowers it, and the GoldenTrace is indexed by its tensor ids.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/ops/gemm_pack.h"
#include "model/tensor/dtype.h"

namespace intvit::model {

enum class OpKind {
  kConvPatch,    // image int8 [Cin,H,W], weight int8 [C, Cin*P*P], bias int32 -> int32 [Np, C]
  kRequant,      // x (, res) -> int8 or int16; params: requants[params_key]
  kConcatCls,    // patches int16 [Np, C], cls int16 [1, C] -> int16 [T, C], cls first
  kLayerNorm,    // int16 [R, C] -> int64 [R, C]; params: layernorms[params_key]
  kLinear,       // int8 [T, K], weight int8 [N, K], bias int32 [N] -> int32 [T, N]
  kAttnScores,   // qkv int8 [T, 3C] -> int32 [T, T] = q_h . k_h^T for head `head`
  kShiftmax,     // int8 [T, T] -> uint16 [T, T]; params: shiftmaxes[params_key]
  kAttnContext,  // probs uint16 [T, T], qkv int8 [T, 3C] -> int32 [T, C], columns of head `head`
  kShiftGelu,    // int8 [T, H] -> int32 [T, H]; params: gelus[params_key]
  kTakeClsRow,   // int16 [T, C] -> int16 [1, C] (row 0)
};
std::string_view OpKindName(OpKind k);

struct TensorInfo {
  std::string name;
  DType dtype = DType::kInt8;
  std::vector<std::int64_t> shape;
  bool is_constant = false;  // held in ModelParams::tensors under `name`
};

struct Node {
  std::string name;  // unique; per-head nodes end in ".h<k>"
  OpKind kind = OpKind::kLinear;
  std::vector<int> inputs;  // tensor ids; constants included (weight, bias, cls, pos)
  int output = -1;          // tensor id; the per-head kAttnContext nodes share one output
  int head = -1;            // attention head for kAttnScores / kAttnContext
  std::string params_key;   // key into ModelParams for requant/shiftmax/gelu/layernorm
};

struct Graph {
  ModelConfig config;
  ModelParams params;
  std::vector<TensorInfo> tensors;
  std::vector<Node> nodes;
  // Weights of every Linear and ConvPatch node, packed once for the fast GEMM kernels; keyed by
  // the weight tensor id. Packing is a layout change only (tests prove bit equality).
  std::map<int, PackedInt8Weights> packed;
  int input = -1;   // the int8 image [Cin, H, W]
  int output = -1;  // the int32 logits [1, classes]

  int FindTensor(std::string_view name) const;  // -1 if absent
  const Tensor& Constant(int tensor_id) const;  // throws std::logic_error if not constant
  // Multiply-accumulates of a node (0 for non-GEMM nodes).
  std::int64_t Macs(const Node& n) const;
  std::int64_t TotalMacs() const;
  // GEMM dimensions M, N, K of a GEMM node (for reports); zeros otherwise.
  struct GemmDims {
    std::int64_t m = 0, n = 0, k = 0;
  };
  GemmDims Dims(const Node& n) const;
};

}  // namespace intvit::model
