// A vector case turned into typed op parameters and shapes: the semantic half of the
// intvit-vector-v1 validation. The reader (model/io/vector_case.h) has already checked names,
// kinds and dtypes; PlanCase checks what needs several fields at once: the ops' Check*Params,
// input shapes against each other and against the params, declared outputs against the op's.
// Any backend (golden, RTL) runs a case from its plan.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "model/io/vector_case.h"
#include "model/ops/conv_patch.h"
#include "model/ops/layer_norm.h"
#include "model/ops/linear.h"
#include "model/ops/matmul.h"
#include "model/ops/requant.h"
#include "model/ops/shift_gelu.h"
#include "model/ops/shiftmax.h"

namespace intvit::model {

// Ops whose outputs exceed these are rejected as implausible for a unit vector; they keep a
// typo in a shape from allocating gigabytes or running for hours.
inline constexpr std::int64_t kPlanMaxOutputElements = std::int64_t{1} << 26;
inline constexpr std::int64_t kPlanMaxMacs = std::int64_t{1} << 33;

// requant: x [..., C] -> y [..., C]; channels = C.
struct RequantPlan {
  RequantParams params;
  std::int64_t channels = 0;
};
// shiftmax / shiftgelu / layernorm: x [..., cols] -> y [..., cols], row-wise.
struct ShiftmaxPlan {
  ShiftmaxParams params;
  std::int64_t cols = 0;
};
struct ShiftGeluPlan {
  ShiftGeluParams params;
  std::int64_t cols = 0;
};
struct LayerNormPlan {
  LayerNormParams params;
  std::int64_t cols = 0;
};
// linear: x [T, K], w [N, K], b [N] (optional) -> y [T, N].
struct LinearPlan {
  LinearShape shape;
  bool has_bias = false;
};
// matmul: a [..., M, K] (int8 or uint16), b [..., K, N] with the same leading axes -> y [..., M,
// N].
struct MatMulPlan {
  MatMulShape shape;
};
// conv_patch: x [Cin, H, W], w [Cout, Cin, P, P], b [Cout] (optional) -> y [(H/P)*(W/P), Cout].
// conv_patch: x [..., Cin, H, W] (leading axes: a batch of images, as I-ViT's QuantConv2d sees
// [B, 3, H, W]) -> y [..., NumPatches, Cout].
struct ConvPatchPlan {
  ConvPatchShape shape;  // one image
  std::int64_t images = 1;
  bool has_bias = false;
};

using OpParamsPlan = std::variant<RequantPlan, ShiftmaxPlan, ShiftGeluPlan, LayerNormPlan,
                                  LinearPlan, MatMulPlan, ConvPatchPlan>;

// The dtype and shape of one output. dtype is the declared one when the case lists the output,
// else the op's natural dtype (requant int8/int16 by out_bits, shiftmax uint16, shiftgelu
// int16, layernorm int64, linear/matmul/conv_patch int32).
struct OutputSpec {
  DType dtype = DType::kInt32;
  std::vector<std::int64_t> shape;
  bool declared = false;  // the case lists this output (with expected values)
};

struct OpPlan {
  OpParamsPlan op;
  std::map<std::string, OutputSpec> outputs;  // every output of the op
};

// Validates `c` and returns its plan. Throws InputError "<manifest>: <field>: <what>"; errors
// of the ops' Check*Params come as "<manifest>: params: <op>: <what>".
OpPlan PlanCase(const VectorCase& c);

}  // namespace intvit::model
