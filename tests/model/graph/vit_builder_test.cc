#include "model/graph/vit_builder.h"

#include <gtest/gtest.h>

#include "model/common/error.h"
#include "model/graph/random_params.h"

namespace intvit::model {
namespace {

TEST(BuildVitGraph, DeitTinyHasIViTsNodesAndMacs) {
  const ModelConfig c = ModelPreset("deit-tiny");
  const Graph g = BuildVitGraph(c, RandomModelParams(c, 1));
  // Per block 17 single nodes (norm1 qact1 qkv attn.qact1 attn.qact2 proj attn.qact3 qact2
  // norm2 qact3 fc1 qact_gelu act mlp.qact1 fc2 mlp.qact2 qact4) and 4 per head; 4 in the
  // stem (proj qact concat qact1) and 4 at the end (cls_select norm qact2 head).
  EXPECT_EQ(g.nodes.size(), 12u * (17 + 4 * 3) + 4 + 4);
  // MACs by hand: patch 196*192*768; per block 197*192*(576 + 192 + 768) + 192*768*197
  // + 2 * 3 * 197*197*64; head 192*1000.
  const std::int64_t block = 197LL * 192 * (576 + 192 + 768) + 197LL * 768 * 192 +
                             2LL * 3 * 197 * 197 * 64;
  EXPECT_EQ(g.TotalMacs(), 196LL * 192 * 768 + 12 * block + 192LL * 1000);
  EXPECT_EQ(g.tensors[g.output].shape, (std::vector<std::int64_t>{1, 1000}));
  EXPECT_EQ(g.nodes.front().name, "patch_embed.proj");
  EXPECT_EQ(g.nodes.back().name, "head");
  EXPECT_GE(g.FindTensor("blocks.11.attn.matmul_1.h2"), 0);
}

TEST(BuildVitGraph, MissingParameterIsNamed) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  ModelParams p = RandomModelParams(c, 1);
  p.requants.erase("blocks.1.attn.qact_attn1");
  try {
    BuildVitGraph(c, p);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("blocks.1.attn.qact_attn1"), std::string::npos);
  }
}

TEST(BuildVitGraph, WrongShapeDtypeAndRangeAreErrors) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  {
    ModelParams p = RandomModelParams(c, 1);
    p.tensors["blocks.0.mlp.fc1.weight"] = Tensor(DType::kInt8, {3, 3});
    EXPECT_THROW(BuildVitGraph(c, p), InputError);
  }
  {
    ModelParams p = RandomModelParams(c, 1);
    p.tensors["pos_embed"] = Tensor(DType::kInt8, {c.tokens(), c.embed_dim});
    EXPECT_THROW(BuildVitGraph(c, p), InputError);
  }
  {
    ModelParams p = RandomModelParams(c, 1);
    p.tensors["head.bias"] = Tensor::FromInt64(DType::kInt32, {10}, std::vector<std::int64_t>(10, 2147483000));
    EXPECT_THROW(BuildVitGraph(c, p), InputError);  // could overflow the accumulator
  }
  {
    ModelParams p = RandomModelParams(c, 1);
    p.requants["blocks.0.qact4"].mult_res.clear();  // residual point without its branch
    EXPECT_THROW(BuildVitGraph(c, p), InputError);
  }
  {
    ModelParams p = RandomModelParams(c, 1);
    p.shiftmaxes["blocks.0.attn.int_softmax"].x0 = 3;
    EXPECT_THROW(BuildVitGraph(c, p), InputError);
  }
}

TEST(ModelConfig, PresetsAndStrictParsing) {
  EXPECT_EQ(ModelPreset("deit-small").embed_dim, 384);
  EXPECT_EQ(ModelPreset("deit-base").mlp_hidden, 3072);
  EXPECT_EQ(ModelPreset("deit-tiny").tokens(), 197);
  EXPECT_THROW(ModelPreset("deit-huge"), InputError);
  const auto c = ParseModelConfig(nlohmann::json{{"arch", "deit-small"}, {"depth", 2}}, "t");
  EXPECT_EQ(c.embed_dim, 384);
  EXPECT_EQ(c.depth, 2);
  EXPECT_THROW(ParseModelConfig(nlohmann::json{{"dpeth", 2}}, "t"), InputError);
  EXPECT_THROW(ParseModelConfig(nlohmann::json{{"depth", "2"}}, "t"), InputError);
  EXPECT_THROW(ParseModelConfig(nlohmann::json{{"embed_dim", 100}, {"num_heads", 3}}, "t"),
               InputError);
  EXPECT_THROW(ParseModelConfig(nlohmann::json{{"rounding", "nearest"}}, "t"), InputError);
  ModelConfig d = ModelPreset("deit-tiny");
  ApplyConfigOverride(d, ModelConfigFields(), "div=2147483648");
  EXPECT_EQ(d.div, 2147483648);
  EXPECT_THROW(ApplyConfigOverride(d, ModelConfigFields(), "depth=-1"), InputError);
  EXPECT_EQ(ModelConfigToJson(d)["div"], 2147483648);
}

}  // namespace
}  // namespace intvit::model
