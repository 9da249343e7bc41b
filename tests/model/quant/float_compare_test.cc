#include "model/quant/float_compare.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/common/error.h"
#include "model/graph/vit_builder.h"
#include "model/quant/image_input.h"
#include "model/quant/synthesize.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {
namespace {

struct TinySetup {
  ModelConfig config = ModelPreset("vit-tiny-test");
  FloatVit vit = MakeSyntheticVit(config, 2);
  Graph graph = BuildVitGraph(config, SynthesizeModel(config, 2, 4));
  std::vector<float> image = SyntheticImage(config, 31);
  RunResult run = RunReference(graph, QuantizeImage(image, 3, config.image_size,
                                                    graph.params.reference.at("input.scale")[0]));
};

const TinySetup& S() {
  static const TinySetup s;
  return s;
}

TEST(CompareWithFloat, HasOneRowPerActivationPointThenTheLogits) {
  const TinySetup& s = S();
  const auto rows = CompareWithFloat(s.vit, s.graph, s.image, s.run.trace);
  const auto points = ActivationPoints(s.config);
  ASSERT_EQ(rows.size(), points.size() + 1);
  for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(rows[i].name, points[i].name);
  EXPECT_EQ(rows.back().name, "logits");
  EXPECT_EQ(rows, RunAndCompareWithFloat(s.vit, s.graph, s.image));
}

TEST(CompareWithFloat, QuantizedConstantsAndInputAreWithinHalfAStep) {
  const TinySetup& s = S();
  const auto rows = CompareWithFloat(s.vit, s.graph, s.image, s.run.trace);
  const auto& ref = s.graph.params.reference;
  EXPECT_EQ(rows[0].name, "input");
  EXPECT_LE(rows[0].max_abs_err, ref.at("input.scale")[0] / 2 * 1.0001);
  EXPECT_GT(rows[0].cosine, 0.9999);
  EXPECT_EQ(rows[2].name, "pos_embed");
  EXPECT_LE(rows[2].max_abs_err, ref.at("pos_embed.scale")[0] / 2 * 1.0001);
  EXPECT_GT(rows[2].cosine, 0.999999);
}

TEST(CompareWithFloat, LogitsUsePerClassScales) {
  const TinySetup& s = S();
  const auto rows = CompareWithFloat(s.vit, s.graph, s.image, s.run.trace);
  const std::vector<float> f = FloatForward(s.vit, s.image);
  const auto& scale = s.graph.params.reference.at("head.scale");
  double dot = 0, qq = 0, ff = 0, err = 0;
  for (std::size_t k = 0; k < f.size(); ++k) {
    const double q =
        static_cast<double>(s.run.logits.ValueAt(static_cast<std::int64_t>(k))) * scale[k];
    dot += q * f[k], qq += q * q, ff += static_cast<double>(f[k]) * f[k];
    err = std::max(err, std::fabs(q - f[k]));
  }
  EXPECT_DOUBLE_EQ(rows.back().cosine, dot / (std::sqrt(qq) * std::sqrt(ff)));
  EXPECT_DOUBLE_EQ(rows.back().max_abs_err, err);
}

TEST(CompareWithFloat, EveryLayerOfTheTinyModelAgrees) {
  // Measured (seed 2, image 31): every row >= 0.9976, logits 0.9990.
  for (const LayerAgreement& r : RunAndCompareWithFloat(S().vit, S().graph, S().image)) {
    EXPECT_GT(r.cosine, 0.99) << r.name;
    EXPECT_GT(r.float_max_abs, 0.0) << r.name;
  }
}

TEST(CompareWithFloat, ACorruptedTensorShowsUpInItsOwnRow) {
  const TinySetup& s = S();
  GoldenTrace trace = s.run.trace;
  const int id = s.graph.FindTensor("blocks.1.attn.qact_attn1.h1");
  Tensor& t = trace.Mutable(id);
  for (auto& v : t.Span<std::int8_t>()) v = 0;
  const auto rows = CompareWithFloat(s.vit, s.graph, s.image, trace);
  for (const auto& r : rows) {
    if (r.name == "blocks.1.attn.qact_attn1") {
      EXPECT_LT(r.cosine, 0.9);  // half of the heads now read 0
    } else {
      EXPECT_GT(r.cosine, 0.99) << r.name;
    }
  }
}

TEST(CompareWithFloat, RejectsAFloatModelOfAnotherShape) {
  const TinySetup& s = S();
  ModelConfig other = s.config;
  other.depth = 1;
  EXPECT_THROW(CompareWithFloat(MakeSyntheticVit(other, 2), s.graph, s.image, s.run.trace),
               InputError);
}

TEST(FormatAgreementTable, OneLinePerRowAfterAHeader) {
  const std::string table = FormatAgreementTable(
      {{"input", 0.99995, 0.01, 2.64}, {"blocks.10.attn.qact_attn1", 0.5, 3.0, 12.0}});
  EXPECT_EQ(table.substr(0, 5), "point");
  EXPECT_NE(table.find("input                        0.999950"), std::string::npos) << table;
  EXPECT_NE(table.find("blocks.10.attn.qact_attn1    0.500000"), std::string::npos) << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
}

}  // namespace
}  // namespace intvit::model
