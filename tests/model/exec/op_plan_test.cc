#include "model/exec/op_plan.h"

#include <gtest/gtest.h>

#include "model/common/error.h"

namespace intvit::model {
namespace {

using Ints = std::vector<std::int64_t>;

VectorTensor T(DType d, Ints shape) {
  const std::int64_t n = VectorNumElements(shape);
  return VectorTensor{d, std::move(shape), Ints(static_cast<std::size_t>(n), 1)};
}

VectorCase Case(std::string op) {
  VectorCase c;
  c.op = std::move(op);
  c.source = "c/manifest.json";
  return c;
}

std::string PlanError(const VectorCase& c) {
  try {
    PlanCase(c);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

VectorCase Linear(Ints x, Ints w, Ints b) {
  VectorCase c = Case("linear");
  c.inputs["x"] = T(DType::kInt8, std::move(x));
  c.inputs["w"] = T(DType::kInt8, std::move(w));
  if (!b.empty()) c.inputs["b"] = T(DType::kInt32, std::move(b));
  return c;
}

TEST(PlanCase, ShiftmaxUsesDefaultsAndReportsValidatorErrorsUnderParams) {
  VectorCase c = Case("shiftmax");
  c.inputs["x"] = T(DType::kInt8, {3, 197});
  c.params["x0"] = std::int64_t{-47};  // n, out_bits, div absent: defaults apply
  const OpPlan plan = PlanCase(c);
  const auto& p = std::get<ShiftmaxPlan>(plan.op);
  EXPECT_EQ(p.cols, 197);
  EXPECT_EQ(p.params.n, 15);
  EXPECT_EQ(p.params.out_bits, 16);
  EXPECT_EQ(p.params.div, 2147483647);
  EXPECT_EQ(plan.outputs.at("y").dtype, DType::kUint16);
  EXPECT_EQ(plan.outputs.at("y").shape, (Ints{3, 197}));
  EXPECT_FALSE(plan.outputs.at("y").declared);

  c.params["x0"] = std::int64_t{5};
  EXPECT_EQ(PlanError(c), "c/manifest.json: params: shiftmax: x0 must be in [-2^31, -1], got 5");
  c.params.erase("x0");
  EXPECT_EQ(PlanError(c), "c/manifest.json: params.x0: missing; shiftmax requires it");
}

TEST(PlanCase, RowOpsNeedNonEmptyRows) {
  VectorCase c = Case("shiftgelu");
  c.params["x0"] = std::int64_t{-12};
  c.inputs["x"] = T(DType::kInt8, {4, 0});
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.x.shape: [4, 0]: rows must not be empty");
  c.inputs["x"] = T(DType::kInt8, {});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.x.shape: [] has 0 axes; shiftgelu takes x as "
            "[..., C] (the last axis is the row)");
}

TEST(PlanCase, LayerNormNeedsOneBiasPerChannel) {
  VectorCase c = Case("layernorm");
  c.inputs["x"] = T(DType::kInt16, {2, 192});
  c.params["bias_int"] = Ints(191, 0);
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params: layernorm: bias_int has 191 entries; "
            "expected one per channel (192)");
  c.params["bias_int"] = Ints(192, 0);
  EXPECT_EQ(PlanCase(c).outputs.at("y").dtype, DType::kInt64);
}

TEST(PlanCase, RequantCombinesScalarsAndListsAndChecksTheResidual) {
  VectorCase c = Case("requant");
  c.inputs["x"] = T(DType::kInt32, {2, 3});
  c.params["m"] = Ints{1 << 30, 1 << 30, 1 << 30};
  c.params["e"] = std::int64_t{31};
  c.params["out_bits"] = std::int64_t{16};
  const OpPlan plan = PlanCase(c);
  const auto& p = std::get<RequantPlan>(plan.op);
  EXPECT_EQ(p.params.mult.size(), 3u);
  EXPECT_EQ(p.params.mult[2], (Dyadic{1 << 30, 31}));
  EXPECT_EQ(p.params.rounding, Rounding::kHalfEven);
  EXPECT_EQ(plan.outputs.at("y").dtype, DType::kInt16);

  c.params["e"] = Ints{31, 31};
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params.e: has 2 entries but m has 3; give lists of "
            "one length, or a scalar");
  c.params["e"] = Ints{31, 31, 31};
  c.params["m"] = Ints{1, 2};
  c.params["e"] = Ints{31, 31};
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params: requant: m/e has 2 entries; expected 1 (per "
            "tensor) or 3 (per channel)");
  c.params["m"] = std::int64_t{(std::int64_t{1} << 31) + 1};
  c.params["e"] = std::int64_t{31};
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params: requant: m/e[0] = (m 2147483649, e 31) is "
            "out of range: |m| <= 2^31 and e in [-62, 126]");
  c.params["m"] = std::int64_t{1 << 30};

  c.inputs["res"] = T(DType::kInt16, {2, 3});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params.m_res: missing; the res input needs m_res "
            "and e_res");
  c.params["m_res"] = std::int64_t{1 << 30};
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params.e_res: missing; the residual branch needs "
            "both m_res and e_res");
  c.params["e_res"] = std::int64_t{30};
  EXPECT_EQ(std::get<RequantPlan>(PlanCase(c).op).params.mult_res.size(), 1u);
  c.inputs["res"] = T(DType::kInt16, {3, 2});
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.res.shape: [3, 2] differs from x's [2, 3]");
  c.inputs.erase("res");
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.res: missing; m_res and e_res need it");
}

TEST(PlanCase, RequantOutputDTypeMustHoldOutBits) {
  VectorCase c = Case("requant");
  c.inputs["x"] = T(DType::kInt32, {4});
  c.params = {
      {"m", std::int64_t{1 << 30}}, {"e", std::int64_t{31}}, {"out_bits", std::int64_t{16}}};
  c.outputs["y"] = T(DType::kInt8, {4});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: outputs.y.dtype: int8 cannot hold out_bits 16 "
            "results");
  c.outputs["y"] = T(DType::kInt32, {4});
  EXPECT_TRUE(PlanCase(c).outputs.at("y").declared);
}

TEST(PlanCase, LinearChecksShapesAgainstEachOther) {
  EXPECT_EQ(std::get<LinearPlan>(PlanCase(Linear({5, 32}, {24, 32}, {24})).op).shape.out_features,
            24);
  EXPECT_EQ(PlanError(Linear({5, 32}, {24, 31}, {24})),
            "c/manifest.json: inputs.w.shape: [24, 31] has K = 31 but x [5, 32] has K = 32");
  EXPECT_EQ(PlanError(Linear({5, 32}, {24, 32}, {23})),
            "c/manifest.json: inputs.b.shape: [23] but w [24, 32] needs [24]");
  // Leading axes of x flatten into the tokens (I-ViT's QuantLinear sees [B, N, C]); y keeps them.
  const OpPlan batched = PlanCase(Linear({2, 5, 32}, {24, 32}, {24}));
  EXPECT_EQ(std::get<LinearPlan>(batched.op).shape.tokens, 10);
  EXPECT_EQ(batched.outputs.at("y").shape, (std::vector<std::int64_t>{2, 5, 24}));
  EXPECT_EQ(PlanError(Linear({5, 32, 1}, {24, 32}, {24})),
            "c/manifest.json: inputs.w.shape: [24, 32] has K = 32 but x [5, 32, 1] has K = 1");
  EXPECT_EQ(PlanError(Linear({32}, {24, 32}, {24})),
            "c/manifest.json: inputs.x.shape: [32] has 1 axis; linear takes x as [..., T, K]");
  EXPECT_FALSE(std::get<LinearPlan>(PlanCase(Linear({5, 32}, {24, 32}, {})).op).has_bias);
}

TEST(PlanCase, RejectsOpsTooBigForAVectorCase) {
  // Empty inputs, but 2^26 tokens times 2^26 outputs would be an enormous output.
  EXPECT_EQ(PlanError(Linear({1 << 26, 0}, {1 << 26, 0}, {})),
            "c/manifest.json: inputs: linear of these shapes needs more than 2^33 "
            "multiply-accumulates, too many for a vector case");
  EXPECT_EQ(PlanError(Linear({1 << 13, 1}, {1 << 14, 1}, {})),
            "c/manifest.json: inputs: linear would produce an output of shape [8192, 16384], more "
            "than the 2^26 elements a vector case may hold");
}

TEST(PlanCase, MatMulNeedsMatchingLeadingAxesAndK) {
  VectorCase c = Case("matmul");
  c.inputs["a"] = T(DType::kUint16, {3, 8, 16});
  c.inputs["b"] = T(DType::kInt8, {3, 16, 4});
  const OpPlan plan = PlanCase(c);
  EXPECT_EQ(std::get<MatMulPlan>(plan.op).shape.batch, 3);
  EXPECT_EQ(plan.outputs.at("y").shape, (Ints{3, 8, 4}));
  c.inputs["b"] = T(DType::kInt8, {2, 16, 4});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.b.shape: [2, 16, 4] must have a's leading "
            "axes [3] then [K, N]");
  c.inputs["b"] = T(DType::kInt8, {3, 15, 4});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.b.shape: [3, 15, 4] has K = 15 but a "
            "[3, 8, 16] has K = 16");
}

TEST(PlanCase, ConvPatchInfersThePatchAndChecksIt) {
  VectorCase c = Case("conv_patch");
  c.inputs["x"] = T(DType::kInt8, {3, 8, 12});
  c.inputs["w"] = T(DType::kInt8, {6, 3, 4, 4});
  const OpPlan plan = PlanCase(c);
  EXPECT_EQ(std::get<ConvPatchPlan>(plan.op).shape.patch, 4);
  EXPECT_EQ(plan.outputs.at("y").shape, (Ints{6, 6}));
  c.params["patch"] = std::int64_t{2};
  EXPECT_EQ(PlanError(c), "c/manifest.json: params.patch: 2 but w [6, 3, 4, 4] has P = 4");
  c.params.erase("patch");
  c.inputs["x"] = T(DType::kInt8, {3, 8, 10});  // ragged: the last 2 columns are ignored
  EXPECT_EQ(PlanCase(c).outputs.at("y").shape, (Ints{4, 6}));
  c.inputs["x"] = T(DType::kInt8, {3, 3, 10});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.x.shape: [3, 3, 10]: H and W must be at least P = 4");
  // Leading axes are a batch of images (I-ViT's QuantConv2d sees [B, 3, H, W]); y keeps them.
  c.inputs["x"] = T(DType::kInt8, {2, 3, 8, 12});
  const OpPlan batched = PlanCase(c);
  EXPECT_EQ(std::get<ConvPatchPlan>(batched.op).images, 2);
  EXPECT_EQ(batched.outputs.at("y").shape, (Ints{2, 6, 6}));
  c.inputs["x"] = T(DType::kInt8, {8, 12});
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.x.shape: [8, 12] has 2 axes; conv_patch "
                          "takes x as [..., Cin, H, W]");
  c.inputs["x"] = T(DType::kInt8, {3, 8, 12});
  c.inputs["w"] = T(DType::kInt8, {6, 3, 4, 2});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.w.shape: [6, 3, 4, 2]: the kernel must be a "
            "square P x P, P >= 1");
  c.inputs["w"] = T(DType::kInt8, {6, 3, 0, 0});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: inputs.w.shape: [6, 3, 0, 0]: the kernel must be a "
            "square P x P, P >= 1");
}

TEST(PlanCase, DeclaredOutputsMustHaveTheOpsShape) {
  VectorCase c = Case("shiftmax");
  c.params["x0"] = std::int64_t{-47};
  c.inputs["x"] = T(DType::kInt8, {3, 197});
  c.outputs["y"] = T(DType::kUint16, {3, 196});
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: outputs.y.shape: [3, 196] but shiftmax of these "
            "inputs gives [3, 197]");
}

TEST(PlanCase, RevalidatesCasesBuiltInCode) {
  VectorCase c = Case("shiftmax");
  c.params["x0"] = std::int64_t{-47};
  c.inputs["x"] = VectorTensor{DType::kInt8, {2}, {1, 300}};
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.x.data[1]: 300 is out of range for int8");
  c.inputs["x"] = VectorTensor{DType::kInt16, {2}, {1, 3}};
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.x.dtype: shiftmax takes int8 for x, got int16");
  c.inputs["x"] = VectorTensor{DType::kInt8, {3}, {1, 3}};
  EXPECT_EQ(PlanError(c), "c/manifest.json: inputs.x: has 2 values; shape [3] needs 3");
  c.inputs["x"] = VectorTensor{DType::kInt8, {2}, {1, 3}};
  c.params["n"] = std::string("15");
  EXPECT_EQ(PlanError(c), "c/manifest.json: params.n: must be an integer");
  c.params["n"] = std::int64_t{1} << 40;
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params.n: 1099511627776 is out of range "
            "[-2147483648, 2147483647]");
  c.params.erase("n");
  c.params["bias_int"] = Ints{};
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: params.bias_int: unknown parameter of shiftmax "
            "(known: x0, n, out_bits, div)");
  c.op = "gemm";
  EXPECT_EQ(PlanError(c),
            "c/manifest.json: op: unknown op \"gemm\" (known: requant, shiftmax, "
            "shiftgelu, layernorm, linear, matmul, conv_patch)");
}

}  // namespace
}  // namespace intvit::model
