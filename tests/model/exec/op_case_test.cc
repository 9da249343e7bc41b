// Golden backend on tiny cases whose outputs are derived by hand in the comments (not by the
// code under test), plus the dtype rules of WithOutputs.
#include "model/exec/op_case.h"

#include <gtest/gtest.h>

#include "model/common/error.h"

namespace intvit::model {
namespace {

using Ints = std::vector<std::int64_t>;

VectorCase Case(std::string op) {
  VectorCase c;
  c.op = std::move(op);
  c.source = "c/manifest.json";
  return c;
}

VectorTensor Y(const VectorCase& c) {
  GoldenBackend golden;
  return golden.Run(c).at("y");
}

TEST(GoldenBackend, ShiftmaxMatchesAHandDerivedRow) {
  // x0 = -10, n = 15, B = 16, DIV = 2^31 - 1. x - max = [0, -2, -5, -25];
  // t' = t + floor(t/2) - floor(t/16) = [0, -2, -7, -36]; q = [0, 0, 0, 3]; r = [0, -2, -7, -6];
  // e = (r + 20) * 2^(15 - q) / 2 = [327680, 294912, 212992, 28672], sum 864256;
  // f = floor(2147483647 / 864256) = 2484; y = floor(e * 2484 / 2^16).
  VectorCase c = Case("shiftmax");
  c.params["x0"] = std::int64_t{-10};
  c.inputs["x"] = VectorTensor{DType::kInt8, {1, 4}, {5, 3, 0, -20}};
  const VectorTensor y = Y(c);
  EXPECT_EQ(y.dtype, DType::kUint16);
  EXPECT_EQ(y.values, (Ints{12420, 11178, 8073, 1086}));
}

TEST(GoldenBackend, RequantRoundsTiesAsItsRoundingParamSays) {
  // m = 2^30, e = 31: y = x / 2, clamped to int8.
  VectorCase c = Case("requant");
  c.params = {{"m", std::int64_t{1} << 30},
              {"e", std::int64_t{31}},
              {"rounding", std::string("half_even")}};
  c.inputs["x"] =
      VectorTensor{DType::kInt16,
                   {2, 8},
                   {-5, -3, -1, 0, 1, 3, 5, 7, 253, 254, 255, 256, -255, -256, -257, -258}};
  EXPECT_EQ(Y(c).values,
            (Ints{-2, -2, 0, 0, 0, 2, 2, 4, 126, 127, 127, 127, -128, -128, -128, -128}));
  c.params["rounding"] = std::string("half_up");
  EXPECT_EQ(Y(c).values,
            (Ints{-2, -1, 0, 0, 1, 2, 3, 4, 127, 127, 127, 127, -127, -128, -128, -128}));
  EXPECT_EQ(Y(c).dtype, DType::kInt8);
}

TEST(GoldenBackend, RequantAddsARoundedResidualBranch) {
  // Per channel m/e: channel 0 x*1/2, channel 1 x*1/4; residual x_res*1/2 for both; out_bits 16.
  VectorCase c = Case("requant");
  c.params = {{"m", Ints{1 << 30, 1 << 30}},
              {"e", Ints{31, 32}},
              {"m_res", std::int64_t{1} << 30},
              {"e_res", std::int64_t{31}},
              {"out_bits", std::int64_t{16}}};
  c.inputs["x"] = VectorTensor{DType::kInt32, {2, 2}, {7, 6, 100000, -100000}};
  c.inputs["res"] = VectorTensor{DType::kInt16, {2, 2}, {1, 3, 32767, -32768}};
  // [7/2 -> 4 (even), 6/4 = 1.5 -> 2] + [1/2 -> 0, 3/2 -> 2] = [4, 4];
  // [50000 + 16384 (32767/2 = 16383.5 -> 16384) -> clamp 32767, -25000 - 16384 = -41384 -> -32768].
  const VectorTensor y = Y(c);
  EXPECT_EQ(y.values, (Ints{4, 4, 32767, -32768}));
  EXPECT_EQ(y.dtype, DType::kInt16);
}

TEST(GoldenBackend, ShiftGeluIncludingAnAllNegativeRow) {
  // x0 = -12, n = 23, B = 8. Row [4, -4]: e1 = [24, 13] * 2^22, e2 = e(-4) = 19 * 2^22;
  // f = [11, 15]; sig = [66, 48]; y = [264, -192].
  // Row [-4, -8] (all negative): e2 = e(+4): t' = 6, q = -1, r = -6 -> 18 * 2^23;
  // e1 = [24, 19] * 2^22; f = [8, 9]; sig = [48, 42]; y = [-192, -336].
  VectorCase c = Case("shiftgelu");
  c.params["x0"] = std::int64_t{-12};
  c.inputs["x"] = VectorTensor{DType::kInt8, {2, 2}, {4, -4, -4, -8}};
  const VectorTensor y = Y(c);
  EXPECT_EQ(y.values, (Ints{264, -192, -192, -336}));
  EXPECT_EQ(y.dtype, DType::kInt16);
}

TEST(GoldenBackend, LayerNormIncludingAConstantRow) {
  // Row [0, 2]: mean 1, y = [-1, 1], var 2; Newton from 2^16 halves 10 times to k = 64;
  // f = floor((2^31 - 1) / 64) = 33554431; out = floor(y * f / 2) + bias.
  // Row [5, 5]: var 0, out = bias.
  VectorCase c = Case("layernorm");
  c.params["bias_int"] = Ints{10, -10};
  c.inputs["x"] = VectorTensor{DType::kInt16, {2, 2}, {0, 2, 5, 5}};
  const VectorTensor y = Y(c);
  EXPECT_EQ(y.values, (Ints{-16777216 + 10, 16777215 - 10, 10, -10}));
  EXPECT_EQ(y.dtype, DType::kInt64);
}

TEST(GoldenBackend, LinearMatMulAndConvPatch) {
  VectorCase lin = Case("linear");
  lin.inputs["x"] = VectorTensor{DType::kInt8, {2, 2}, {1, 2, 3, -4}};
  lin.inputs["w"] = VectorTensor{DType::kInt8, {3, 2}, {1, 1, 2, -1, -128, 127}};
  lin.inputs["b"] = VectorTensor{DType::kInt32, {3}, {10, 0, -5}};
  EXPECT_EQ(Y(lin).values, (Ints{13, 0, 121, 9, 10, -897}));
  EXPECT_EQ(Y(lin).shape, (Ints{2, 3}));

  VectorCase mm = Case("matmul");
  mm.inputs["a"] = VectorTensor{DType::kUint16, {1, 2, 2}, {65535, 1, 0, 2}};
  mm.inputs["b"] = VectorTensor{DType::kInt8, {1, 2, 2}, {-128, 1, 1, -1}};
  EXPECT_EQ(Y(mm).values, (Ints{65535 * -128 + 1, 65534, 2, -2}));
  mm.inputs["a"] = VectorTensor{DType::kInt8, {1, 2, 2}, {-128, 1, 0, 2}};
  EXPECT_EQ(Y(mm).values, (Ints{16385, -129, 2, -2}));

  VectorCase conv = Case("conv_patch");
  conv.inputs["x"] = VectorTensor{DType::kInt8, {1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}};
  conv.inputs["w"] = VectorTensor{DType::kInt8, {1, 1, 2, 2}, {1, 1, 1, 1}};
  conv.inputs["b"] = VectorTensor{DType::kInt32, {1}, {100}};
  EXPECT_EQ(Y(conv).values, (Ints{114, 122}));  // 1+2+5+6, 3+4+7+8, plus 100
  EXPECT_EQ(Y(conv).shape, (Ints{2, 1}));
}

TEST(GoldenBackend, RejectsMalformedCases) {
  VectorCase c = Case("shiftmax");
  c.inputs["x"] = VectorTensor{DType::kInt8, {1}, {0}};
  GoldenBackend golden;
  EXPECT_THROW(golden.Run(c), InputError);
}

TEST(MakeOpBackend, KnowsGoldenOnly) {
  ASSERT_NE(MakeOpBackend("golden"), nullptr);
  EXPECT_EQ(MakeOpBackend("golden")->Name(), "golden");
  EXPECT_EQ(MakeOpBackend("rtl"), nullptr);
}

TEST(WithOutputs, WidensShiftGeluToInt32OnlyWhenNeeded) {
  // out_bits 16 lets sig reach 2^15 - 1, so x * sig leaves int16.
  VectorCase c = Case("shiftgelu");
  c.params = {{"x0", std::int64_t{-12}}, {"out_bits", std::int64_t{16}}};
  c.inputs["x"] = VectorTensor{DType::kInt8, {1, 2}, {127, -128}};
  const OpPlan plan = PlanCase(c);
  GoldenBackend golden;
  const VectorCase out = WithOutputs(c, plan, golden.Run(c));
  EXPECT_EQ(out.outputs.at("y").dtype, DType::kInt32);
  EXPECT_GT(out.outputs.at("y").values[0], 32767);

  c.params["out_bits"] = std::int64_t{8};
  EXPECT_EQ(WithOutputs(c, PlanCase(c), golden.Run(c)).outputs.at("y").dtype, DType::kInt16);
}

TEST(WithOutputs, KeepsADeclaredDTypeOrExplainsWhyItCannot) {
  VectorCase c = Case("layernorm");
  c.params["bias_int"] = Ints{10, -10};
  c.inputs["x"] = VectorTensor{DType::kInt16, {1, 2}, {0, 2}};
  c.outputs["y"] = VectorTensor{DType::kInt32, {1, 2}, {0, 0}};
  GoldenBackend golden;
  VectorCase out = WithOutputs(c, PlanCase(c), golden.Run(c));
  EXPECT_EQ(out.outputs.at("y").dtype, DType::kInt32);
  EXPECT_EQ(out.outputs.at("y").values, (Ints{-16777206, 16777205}));

  c.params["bias_int"] = Ints{std::int64_t{1} << 40, 0};
  try {
    WithOutputs(c, PlanCase(c), golden.Run(c));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "c/manifest.json: outputs.y.dtype: int32 cannot hold the "
              "computed value 1099494850560 at [0, 0]");
  }
}

TEST(WithOutputs, RejectsABackendThatMissesAnOutput) {
  VectorCase c = Case("linear");
  c.inputs["x"] = VectorTensor{DType::kInt8, {1, 1}, {1}};
  c.inputs["w"] = VectorTensor{DType::kInt8, {1, 1}, {1}};
  EXPECT_THROW(WithOutputs(c, PlanCase(c), TensorMap{}), std::runtime_error);
  TensorMap wrong = {{"y", VectorTensor{DType::kInt32, {1}, {1}}}};
  EXPECT_THROW(WithOutputs(c, PlanCase(c), wrong), std::runtime_error);
}

}  // namespace
}  // namespace intvit::model
