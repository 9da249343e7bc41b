#include "model/quant/timm_checkpoint.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "model/common/error.h"
#include "model/quant/float_vit.h"

namespace intvit::model {
namespace {

// A small custom shape: 1 input channel, 12x12 pictures, patch 3 (16 patches), C 24, 2 heads,
// MLP ratio 2, 7 classes.
ModelConfig Small() {
  ModelConfig c = ModelPreset("vit-tiny-test");
  c.arch = "custom";
  c.image_size = 12, c.patch_size = 3, c.in_channels = 1, c.embed_dim = 24, c.num_heads = 2;
  c.mlp_hidden = 48, c.num_classes = 7, c.depth = 2;
  return c;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name) : path(::testing::TempDir() + name) {}
  ~TempFile() { std::remove(path.c_str()); }
};

// Expects ReadTimmCheckpoint(file, config) to throw an InputError containing `what`.
void ExpectError(const SafetensorsFile& f, const std::string& config, const std::string& what) {
  TempFile st("intvit_timm_bad.safetensors"), cfg("intvit_timm_bad.json");
  WriteSafetensors(st.path, f);
  if (!config.empty()) std::ofstream(cfg.path) << config;
  try {
    ReadTimmCheckpoint(st.path, config.empty() ? "" : cfg.path);
    ADD_FAILURE() << "no error; want " << what;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(TimmCheckpoint, RoundTripsEveryTensorAndTheShape) {
  const ModelConfig c = Small();
  FloatVit v = MakeSyntheticVit(c, 2);
  v.input_mean = {0.25f}, v.input_std = {0.5f};
  Preprocessing p;
  p.crop_pct = 1.0, p.filter = ResizeFilter::kBilinear;
  TempFile f("intvit_timm_round.safetensors");
  WriteSafetensors(f.path, TimmCheckpointFile(v, p));
  const FloatCheckpoint ck = ReadTimmCheckpoint(f.path);
  EXPECT_EQ(ck.vit.config.image_size, 12);
  EXPECT_EQ(ck.vit.config.patch_size, 3);
  EXPECT_EQ(ck.vit.config.in_channels, 1);
  EXPECT_EQ(ck.vit.config.num_heads, 2);
  EXPECT_EQ(ck.vit.config.mlp_hidden, 48);
  EXPECT_EQ(ck.vit.config.num_classes, 7);
  EXPECT_EQ(ck.vit.config.depth, 2);
  EXPECT_EQ(ck.vit.patch_embed.weight, v.patch_embed.weight);
  EXPECT_EQ(ck.vit.pos_embed, v.pos_embed);
  EXPECT_EQ(ck.vit.blocks[1].qkv.weight, v.blocks[1].qkv.weight);
  EXPECT_EQ(ck.vit.blocks[1].norm2.gamma, v.blocks[1].norm2.gamma);
  EXPECT_EQ(ck.vit.head.bias, v.head.bias);
  EXPECT_EQ(ck.vit.input_mean, v.input_mean);
  EXPECT_EQ(ck.preprocessing.filter, ResizeFilter::kBilinear);
  EXPECT_EQ(ck.preprocessing.crop_pct, 1.0);
}

TEST(TimmCheckpoint, WithoutAConfigAssumes64WideHeads) {
  ModelConfig c = ModelPreset("vit-tiny-test");  // C 64, 2 heads
  SafetensorsFile f = TimmCheckpointFile(MakeSyntheticVit(c, 1), Preprocessing{});
  f.metadata.clear();
  TempFile t("intvit_timm_noconfig.safetensors");
  WriteSafetensors(t.path, f);
  const FloatCheckpoint ck = ReadTimmCheckpoint(t.path);
  EXPECT_EQ(ck.vit.config.num_heads, 1);
  EXPECT_EQ(ck.heads_from, "embed_dim / 64 (no config)");
  EXPECT_EQ(ck.preprocessing.filter, ResizeFilter::kBicubic);
}

TEST(TimmCheckpoint, RefusesMissingMisshapenAndForeignTensors) {
  const SafetensorsFile good = TimmCheckpointFile(MakeSyntheticVit(Small(), 2), Preprocessing{});
  SafetensorsFile f = good;
  f.tensors.erase("blocks.1.mlp.fc2.bias");
  ExpectError(f, "", "missing tensor 'blocks.1.mlp.fc2.bias' (expected shape [24])");
  f = good;
  f.tensors["blocks.0.attn.proj.weight"] = MakeRawTensor<float>({24, 23}, std::vector<float>(24 * 23));
  ExpectError(f, "", "tensor 'blocks.0.attn.proj.weight' has shape [24, 23], expected [24, 24]");
  f = good;
  f.tensors["dist_token"] = MakeRawTensor<float>({1, 1, 24}, std::vector<float>(24));
  ExpectError(f, "", "unexpected tensor 'dist_token'");
  f = good;
  f.tensors["head.bias"] = MakeRawTensor<std::int32_t>({7}, std::vector<std::int32_t>(7));
  ExpectError(f, "", "tensor 'head.bias' is I32");
  f = good;
  f.tensors["patch_embed.proj.weight"] = MakeRawTensor<float>({24, 1, 3, 2}, std::vector<float>(144));
  ExpectError(f, "", "not square");
}

TEST(TimmCheckpoint, RefusesAConfigThatContradictsTheTensors) {
  SafetensorsFile f = TimmCheckpointFile(MakeSyntheticVit(Small(), 2), Preprocessing{});
  f.metadata.clear();
  ExpectError(f, R"({"architecture": "deit_tiny_patch16_224"})",
              "embed_dim is 192, but cls_token gives 24");
  ExpectError(f, R"({"architecture": "x", "model_args": {"num_heads": 2}, "num_classes": 1000})",
              "num_classes is 1000, but head.weight gives 7");
  ExpectError(f, R"({"architecture": "x", "model_args": {"num_heads": 2, "mlp_ratio": 4}})",
              "mlp_ratio 4.000000 gives 96 hidden units");
  ExpectError(f, R"({"architecture": "x", "model_args": {"num_heads": 5}})",
              "num_heads 5 does not divide embed_dim 24");
  ExpectError(f, R"({"architecture": "mystery_net"})", "not a known timm ViT name");
  ExpectError(f, R"({"model_args": {"num_heads": 2}, "pretrained_cfg": {"input_size": [3, 12, 12]}})",
              "in_chans is 3, but patch_embed.proj.weight gives 1");
  ExpectError(f, R"({"model_args": {"num_heads": 2}, "pretrained_cfg": {"interpolation": "nearest"}})",
              "interpolation 'nearest' is not supported");
  ExpectError(f, R"({"model_args": {"num_heads": 2}, "global_pool": "avg"})", "global_pool");
  ExpectError(f, "{\"model_args\": {\"num_heads\": 2}, \"a\": 1, \"a\": 2}", "");
}

TEST(TimmConfig, KnownNamesGiveTheirShape) {
  const TimmConfig c = ParseTimmConfig(
      R"({"architecture": "vit_small_patch16_384", "num_classes": 1000,
          "pretrained_cfg": {"input_size": [3, 384, 384], "mean": [0.5, 0.5, 0.5],
                             "std": [0.5, 0.5, 0.5], "crop_pct": 1.0, "interpolation": "bicubic"}})",
      "config.json");
  EXPECT_EQ(*c.embed_dim, 384);
  EXPECT_EQ(*c.num_heads, 6);
  EXPECT_EQ(*c.depth, 12);
  EXPECT_EQ(*c.patch_size, 16);
  EXPECT_EQ(*c.image_size, 384);
  EXPECT_EQ(*c.crop_pct, 1.0);
  EXPECT_EQ(c.mean->size(), 3u);
  EXPECT_THROW(ParseTimmConfig(R"({"architecture": "deit_base_patch16_224",
                                   "pretrained_cfg": {"input_size": [3, 256, 256]}})", "c"),
               InputError);
}

// The name is matched whole: a suffix, a missing number or a 7-digit one is not a known name.
TEST(TimmConfig, OnlyExactStandardNamesAreKnown) {
  const TimmConfig c = ParseTimmConfig(R"({"architecture": "deit3_large_patch8_112"})", "c");
  EXPECT_EQ(*c.embed_dim, 1024);
  EXPECT_EQ(*c.depth, 24);
  EXPECT_EQ(*c.num_heads, 16);
  EXPECT_EQ(*c.patch_size, 8);
  EXPECT_EQ(*c.image_size, 112);
  for (const char* name : {"deit_tiny_patch16_224x", "deit_tiny_patch16", "deit_tiny_patch_224",
                           "deit_huge_patch16_224", "deit_tiny_patch16_1234567", "xdeit_tiny_patch16_224"}) {
    EXPECT_THROW(ParseTimmConfig(std::string(R"({"architecture": ")") + name + "\"}", "c"),
                 InputError)
        << name;
  }
}

}  // namespace
}  // namespace intvit::model
