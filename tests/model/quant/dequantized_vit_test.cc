#include "model/quant/dequantized_vit.h"

#include <gtest/gtest.h>

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/quant/float_compare.h"
#include "model/quant/synthesize.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {
namespace {

TEST(DequantizedVit, WeightsAreIntegersTimesTheirScales) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const ModelParams p = SynthesizeModel(c, 1, 8);
  const FloatVit v = DequantizedVit(c, p);
  const auto w = p.tensors.at("blocks.1.mlp.fc2.weight").Span<std::int8_t>();
  const auto& s = p.reference.at("blocks.1.mlp.fc2.weight_scale");
  EXPECT_EQ(v.blocks[1].fc2.weight[3 * c.mlp_hidden + 5], w[3 * c.mlp_hidden + 5] * s[3]);
  const auto b = p.tensors.at("head.bias").Span<std::int32_t>();
  EXPECT_EQ(v.head.bias[7], b[7] * p.reference.at("head.scale")[7]);
  EXPECT_EQ(v.norm.gamma, p.reference.at("norm.gamma"));
}

// The float model rebuilt from the integers tracks the integer model as closely as the
// original float model does: the weights differ only by their quantization error.
TEST(DequantizedVit, IntegerModelTracksItsDequantizedFloatModel) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const Graph g = BuildVitGraph(c, SynthesizeModel(c, 1, 64));
  const FloatVit v = DequantizedVit(c, g.params);
  for (const std::uint64_t seed : {1001, 1002}) {
    const auto rows = RunAndCompareWithFloat(v, g, SyntheticImage(c, seed));
    EXPECT_GE(rows.back().cosine, 0.99) << FormatAgreementTable(rows);
  }
}

TEST(DequantizedVit, ModelsWithoutReferenceValuesAreAClearError) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  try {
    DequantizedVit(c, RandomModelParams(c, 1));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has no tensor 'reference."), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::model
