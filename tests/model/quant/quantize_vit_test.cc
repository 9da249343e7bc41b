#include "model/quant/quantize_vit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "model/common/error.h"
#include "model/graph/vit_builder.h"
#include "model/quant/dyadic_from_ratio.h"
#include "model/quant/layernorm_bias.h"
#include "model/quant/shift_exp_x0.h"
#include "model/quant/symmetric_quant.h"

namespace intvit::model {
namespace {

struct Fixture {
  ModelConfig config = ModelPreset("vit-tiny-test");
  FloatVit vit = MakeSyntheticVit(config, 1);
  ActivationRanges ranges;
  ModelParams params;
  Fixture() {
    CalibrationOptions o;
    o.images = 2, o.seed = 1;
    ranges = Calibrate(vit, o);
    params = QuantizeVit(vit, ranges);
  }
  float Ref(const std::string& key, std::size_t i = 0) const {
    return params.reference.at(key).at(i);
  }
};

const Fixture& F() {
  static const Fixture f;
  return f;
}

TEST(QuantizeVit, ResultBuildsAsAGraph) { EXPECT_NO_THROW(BuildVitGraph(F().config, F().params)); }

TEST(QuantizeVit, ActivationScalesAreSymmetricScalesOfTheRanges) {
  const auto& f = F();
  for (const auto& p : ActivationPoints(f.config)) {
    if (!p.quant_act) continue;
    const auto& r = f.ranges.at(p.name);
    const std::string key =
        p.name.ends_with("qact_attn1") ? p.name + ".h0.scale" : p.name + ".scale";
    EXPECT_EQ(f.Ref(key), SymmetricScale(r.min, r.max, p.bits)) << p.name;
  }
}

TEST(QuantizeVit, LinearRequantsArePerChannelFromWeightTimesInputScale) {
  const auto& f = F();
  const float s_a = f.Ref("blocks.0.qact1.scale"), s_qkv = f.Ref("blocks.0.attn.qact1.scale");
  const RequantParams& r = f.params.requants.at("blocks.0.attn.qact1");
  ASSERT_EQ(r.mult.size(), static_cast<std::size_t>(3 * f.config.embed_dim));
  EXPECT_EQ(r.out_bits, 8);
  for (std::size_t c = 0; c < r.mult.size(); c += 7) {
    const float acc = BiasScale(f.Ref("blocks.0.attn.qkv.weight_scale", c), s_a);
    EXPECT_EQ(f.Ref("blocks.0.attn.qkv.scale", c), acc);
    EXPECT_EQ(r.mult[c], DyadicFromScales(acc, s_qkv)) << c;
  }
  // The weights are QuantizeWeightsPerChannel's and the bias QuantizeBiasPerChannel's.
  const FloatLinear& l = f.vit.blocks[0].qkv;
  const PerChannelWeights w =
      QuantizeWeightsPerChannel(l.weight, static_cast<int>(l.out), static_cast<int>(l.in));
  EXPECT_EQ(f.params.tensors.at("blocks.0.attn.qkv.weight").Span<std::int8_t>()[100],
            w.values[100]);
  EXPECT_EQ(f.params.tensors.at("blocks.0.attn.qkv.bias").Span<std::int32_t>()[5],
            QuantizeBiasPerChannel(l.bias, w.scales, s_a)[5]);
}

TEST(QuantizeVit, AttentionFoldsTheHeadScaleAndFeedsShiftmaxAndMatmul2) {
  const auto& f = F();
  const float s_qkv = f.Ref("blocks.1.attn.qact1.scale"),
              s_att = f.Ref("blocks.1.attn.qact_attn1.h1.scale");
  // head_dim 32: 32^-0.5 = 0.1767767 rounded to float32, applied to RN32(s_qkv^2).
  const float s_scores = (s_qkv * s_qkv) * static_cast<float>(1.0 / std::sqrt(32.0));
  EXPECT_EQ(f.Ref("blocks.1.attn.matmul_1.h0.scale"), s_scores);
  const RequantParams& r = f.params.requants.at("blocks.1.attn.qact_attn1");
  ASSERT_EQ(r.mult.size(), 1u);
  EXPECT_EQ(r.mult[0], DyadicFromScales(s_scores, s_att));
  EXPECT_EQ(f.params.shiftmaxes.at("blocks.1.attn.int_softmax").x0, ShiftmaxX0FromScale(s_att));
  EXPECT_EQ(f.Ref("blocks.1.attn.int_softmax.h1.scale"), 0x1p-15f);
  const float s_ctx = f.Ref("blocks.1.attn.qact2.scale");
  EXPECT_EQ(f.params.requants.at("blocks.1.attn.qact2").mult[0],
            DyadicFromScales(0x1p-15f * s_qkv, s_ctx));
}

TEST(QuantizeVit, GeluGetsX0AndItsOutputScaleIsTheInputScaleOver128) {
  const auto& f = F();
  const float s_g = f.Ref("blocks.0.mlp.qact_gelu.scale");
  EXPECT_EQ(f.params.gelus.at("blocks.0.mlp.act").x0, ShiftGeluX0FromScale(s_g));
  EXPECT_EQ(f.Ref("blocks.0.mlp.act.scale"), s_g / 128.0f);
  EXPECT_EQ(f.params.requants.at("blocks.0.mlp.qact1").mult[0],
            DyadicFromScales(s_g / 128.0f, f.Ref("blocks.0.mlp.qact1.scale")));
}

TEST(QuantizeVit, LayerNormRequantsCarryTheSignOfGamma) {
  const auto& f = F();
  const FloatLayerNorm& n = f.vit.blocks[0].norm1;
  const LayerNormConstants k = PrepareLayerNormConstants(n.gamma, n.beta);
  EXPECT_EQ(f.params.layernorms.at("blocks.0.norm1").bias_int, k.bias_int);
  const RequantParams& r = f.params.requants.at("blocks.0.qact1");
  ASSERT_EQ(r.mult.size(), n.gamma.size());
  int negative = 0;
  for (std::size_t c = 0; c < n.gamma.size(); ++c) {
    EXPECT_EQ(r.mult[c], DyadicFromScales(k.output_scale[c], f.Ref("blocks.0.qact1.scale")));
    EXPECT_EQ(r.mult[c].m < 0, n.gamma[c] < 0) << c;
    negative += n.gamma[c] < 0;
  }
  EXPECT_GE(negative, 1);
}

TEST(QuantizeVit, ResidualRequantsHaveOneBranchPerInputScale) {
  const auto& f = F();
  const RequantParams& stem = f.params.requants.at("qact1");
  EXPECT_EQ(stem.mult[0], DyadicFromScales(f.Ref("patch_embed.qact.scale"), f.Ref("qact1.scale")));
  EXPECT_EQ(stem.mult_res[0], DyadicFromScales(f.Ref("pos_embed.scale"), f.Ref("qact1.scale")));
  const RequantParams& q2 = f.params.requants.at("blocks.0.qact2");
  EXPECT_EQ(q2.mult[0],
            DyadicFromScales(f.Ref("blocks.0.attn.qact3.scale"), f.Ref("blocks.0.qact2.scale")));
  EXPECT_EQ(q2.mult_res[0], DyadicFromScales(f.Ref("qact1.scale"), f.Ref("blocks.0.qact2.scale")));
  const RequantParams& q4 = f.params.requants.at("blocks.1.qact4");
  EXPECT_EQ(q4.out_bits, 16);
  EXPECT_EQ(q4.mult_res[0],
            DyadicFromScales(f.Ref("blocks.1.qact2.scale"), f.Ref("blocks.1.qact4.scale")));
}

TEST(QuantizeVit, ClsTokenRoundsHalfToEvenAtThePatchScaleAndClampsToInt16) {
  Fixture f;
  // A patch-embed range of 32767 * 2^-10 gives s_pe = 2^-10 exactly.
  f.ranges["patch_embed.qact"] = {-32767.0f * 0x1p-10f, 32767.0f * 0x1p-10f};
  f.vit.cls_token[0] = 2.5f * 0x1p-10f;   // tie -> 2
  f.vit.cls_token[1] = 3.5f * 0x1p-10f;   // tie -> 4
  f.vit.cls_token[2] = -2.5f * 0x1p-10f;  // tie -> -2
  f.vit.cls_token[3] = 100.0f;            // 102400 -> 32767
  f.vit.cls_token[4] = -100.0f;           // -> -32768
  const ModelParams p = QuantizeVit(f.vit, f.ranges);
  const auto cls = p.tensors.at("cls_token").Span<std::int16_t>();
  EXPECT_EQ(p.reference.at("cls_token.scale")[0], 0x1p-10f);
  EXPECT_EQ(cls[0], 2);
  EXPECT_EQ(cls[1], 4);
  EXPECT_EQ(cls[2], -2);
  EXPECT_EQ(cls[3], 32767);
  EXPECT_EQ(cls[4], -32768);
}

TEST(QuantizeVit, PositionEmbeddingIsSixteenBitsWithItsOwnScale) {
  const auto& f = F();
  const float s_pos = f.Ref("pos_embed.scale");
  const auto pos = f.params.tensors.at("pos_embed").Span<std::int16_t>();
  for (std::size_t i = 0; i < pos.size(); i += 13) {
    EXPECT_EQ(pos[i], LinearQuantizeHalfEven(f.vit.pos_embed[i], s_pos, 16));
  }
  // The range is pos_embed's own, so its largest magnitude maps to the top level.
  int max_abs = 0;
  for (const std::int16_t q : pos) max_abs = std::max(max_abs, std::abs(int{q}));
  EXPECT_EQ(max_abs, 32767);
}

TEST(QuantizeVit, ReferenceHasAScaleForEveryTensorOfTheGraph) {
  const auto& f = F();
  const Graph g = BuildVitGraph(f.config, f.params);
  for (const TensorInfo& t : g.tensors) {
    if (t.is_constant && t.name != "pos_embed" && t.name != "cls_token") continue;
    const auto it = f.params.reference.find(t.name + ".scale");
    ASSERT_NE(it, f.params.reference.end()) << t.name;
    EXPECT_TRUE(it->second.size() == 1 ||
                static_cast<std::int64_t>(it->second.size()) == t.shape.back())
        << t.name;
  }
  for (const std::string key :
       {"input.mean", "input.std", "norm.gamma", "norm.beta", "head.weight_scale",
        "patch_embed.proj.weight_scale", "blocks.1.mlp.fc2.weight_scale"}) {
    EXPECT_TRUE(f.params.reference.contains(key)) << key;
  }
  EXPECT_EQ(f.params.reference.at("head.scale").size(),
            static_cast<std::size_t>(f.config.num_classes));
}

TEST(QuantizeVit, AMissingRangeIsNamed) {
  Fixture f;
  f.ranges.erase("blocks.1.mlp.qact_gelu");
  try {
    QuantizeVit(f.vit, f.ranges);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("blocks.1.mlp.qact_gelu"), std::string::npos);
  }
}

}  // namespace
}  // namespace intvit::model
