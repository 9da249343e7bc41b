#include "model/quant/synthesize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "model/graph/vit_builder.h"
#include "model/quant/float_compare.h"
#include "model/quant/post_training_quant.h"
#include "model/quant/synthetic_image.h"
#include "model/quant/timm_checkpoint.h"

namespace intvit::model {
namespace {

void ExpectSameParams(const ModelParams& a, const ModelParams& b) {
  EXPECT_EQ(a.tensors, b.tensors);
  ASSERT_EQ(a.requants.size(), b.requants.size());
  for (const auto& [name, r] : a.requants) {
    const RequantParams& o = b.requants.at(name);
    EXPECT_EQ(r.mult, o.mult) << name;
    EXPECT_EQ(r.mult_res, o.mult_res) << name;
    EXPECT_EQ(r.out_bits, o.out_bits) << name;
  }
  ASSERT_EQ(a.shiftmaxes.size(), b.shiftmaxes.size());
  for (const auto& [name, s] : a.shiftmaxes) EXPECT_EQ(s.x0, b.shiftmaxes.at(name).x0) << name;
  ASSERT_EQ(a.gelus.size(), b.gelus.size());
  for (const auto& [name, g] : a.gelus) EXPECT_EQ(g.x0, b.gelus.at(name).x0) << name;
  ASSERT_EQ(a.layernorms.size(), b.layernorms.size());
  for (const auto& [name, l] : a.layernorms) {
    EXPECT_EQ(l.bias_int, b.layernorms.at(name).bias_int) << name;
  }
  EXPECT_EQ(a.reference, b.reference);
}

ModelConfig DeitTinyTwoBlocks() {
  ModelConfig c = ModelPreset("deit-tiny");
  c.arch = "custom";
  c.depth = 2;
  return c;
}

TEST(SynthesizeModel, SameSeedGivesIdenticalParams) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  ExpectSameParams(SynthesizeModel(c, 3), SynthesizeModel(c, 3));
}

TEST(SynthesizeModel, OtherSeedOrCalibrationGivesOtherParams) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const ModelParams a = SynthesizeModel(c, 3);
  EXPECT_NE(a.tensors.at("blocks.0.mlp.fc1.weight"),
            SynthesizeModel(c, 4).tensors.at("blocks.0.mlp.fc1.weight"));
  EXPECT_NE(a.reference.at("blocks.0.mlp.qact_gelu.scale"),
            SynthesizeModel(c, 3, 2).reference.at("blocks.0.mlp.qact_gelu.scale"));
}

TEST(SynthesizeModel, RejectsBadArguments) {
  EXPECT_THROW(SynthesizeModel(ModelPreset("vit-tiny-test"), 1, 0), InputError);
  ModelConfig c = ModelPreset("vit-tiny-test");
  c.num_heads = 3;  // 64 is not a multiple of 3
  EXPECT_THROW(SynthesizeModel(c, 1), InputError);
}

// Integer (RunReference on the quantized image) against float (FloatForward on the float
// image), on images the calibration never saw.
void ExpectIntegerTracksFloat(const ModelConfig& c, int calib_images, double min_logits_cosine,
                              double min_layer_cosine) {
  const FloatVit vit = MakeSyntheticVit(c, 1);
  const Graph g = BuildVitGraph(c, SynthesizeModel(c, 1, calib_images));
  for (const std::uint64_t seed : {1001, 1002, 1003}) {
    const auto rows = RunAndCompareWithFloat(vit, g, SyntheticImage(c, seed));
    ASSERT_EQ(rows.size(), ActivationPoints(c).size() + 1);
    EXPECT_GE(rows.back().cosine, min_logits_cosine) << "image " << seed;
    const auto worst = std::min_element(
        rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.cosine < b.cosine; });
    EXPECT_GE(worst->cosine, min_layer_cosine) << "image " << seed << ": " << worst->name << "\n"
                                               << FormatAgreementTable(rows);
  }
}

TEST(SynthesizeModel, TinyTestModelRunsAndTracksTheFloatModel) {
  // 5 tokens and 10 classes: 8 calibration images see only 40 tokens, and a test image can
  // then exceed a range (image 1003 clips mlp.qact1: logits 0.993). 64 images cost 0.2 s here.
  // Measured with 64: logits cosine 0.9993, 0.9993, 0.9977; worst layer 0.9953.
  ExpectIntegerTracksFloat(ModelPreset("vit-tiny-test"), 64, 0.99, 0.99);
}

TEST(SynthesizeModel, TwoBlockDeitTinyRunsAndTracksTheFloatModel) {
  // 197 tokens, 3 heads of 64, the default 8 calibration images. Measured: logits cosine
  // 0.9955, 0.9972, 0.9990; the worst other rows are the Shiftmax outputs (0.991-0.996, its
  // exp approximation on int8 logits) and the final cls LayerNorm (qact2, ~0.996).
  ExpectIntegerTracksFloat(DeitTinyTwoBlocks(), kDefaultCalibrationImages, 0.99, 0.98);
}

TEST(SynthesisCalibrationOptions, UsesBatchesOfFourAndTheSeed) {
  const CalibrationOptions o = SynthesisCalibrationOptions(9, 12);
  EXPECT_EQ(o.images, 12);
  EXPECT_EQ(o.batch_size, kCalibrationBatchSize);
  EXPECT_EQ(o.seed, 9u);
  EXPECT_EQ(o.momentum, kActRangeMomentum);
}

}  // namespace
}  // namespace intvit::model

namespace intvit::model {
namespace {

// `intvit synth` is "random float weights, then the quantize path": the seeded float ViT written
// in timm's layout and read back, then PostTrainingQuantize with synth's calibration, gives
// synth's params bit for bit; and the calibration threads do not change a bit.
TEST(SynthesizeModel, IsTheQuantizePathOnATimmCheckpointOfTheSeededFloatVit) {
  ModelConfig c = ModelPreset("vit-tiny-test");
  const std::string path = ::testing::TempDir() + "intvit_synth_float.safetensors";
  WriteSafetensors(path, TimmCheckpointFile(MakeSyntheticVit(c, 5), Preprocessing{}));
  const FloatCheckpoint ck = ReadTimmCheckpoint(path);
  std::remove(path.c_str());
  EXPECT_EQ(ck.vit.config.num_heads, c.num_heads);
  EXPECT_EQ(ck.vit.config.mlp_hidden, c.mlp_hidden);
  CalibrationOptions calib = SynthesisCalibrationOptions(5, 6);
  calib.jobs = 3;
  ExpectSameParams(PostTrainingQuantize(ck.vit, calib), SynthesizeModel(c, 5, 6));
}

}  // namespace
}  // namespace intvit::model
