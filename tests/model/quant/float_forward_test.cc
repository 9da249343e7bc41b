#include "model/quant/float_forward.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "model/common/error.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {
namespace {

using Observed = std::map<std::string, std::vector<float>, std::less<>>;

struct ForwardRun {
  std::vector<std::string> order;
  Observed values;
  std::vector<float> logits;
};

ForwardRun Forward(const FloatVit& v, std::uint64_t image_seed, FloatForwardOptions o = {}) {
  ForwardRun r;
  r.logits = FloatForward(
      v, SyntheticImage(v.config, image_seed),
      [&](std::string_view name, std::span<const float> x) {
        r.order.emplace_back(name);
        r.values[std::string(name)].assign(x.begin(), x.end());
      },
      o);
  return r;
}

ModelConfig DeitTinyDepth(std::int64_t depth) {
  ModelConfig c = ModelPreset("deit-tiny");
  c.arch = "custom";
  c.depth = depth;
  return c;
}

TEST(ActivationPoints, ObserverSeesEveryPointOnceInOrderWithTheDocumentedSizes) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const ForwardRun r = Forward(MakeSyntheticVit(c, 1), 1);
  const auto points = ActivationPoints(c);
  ASSERT_EQ(points.size(), static_cast<std::size_t>(4 + 12 * c.depth + 1));
  ASSERT_EQ(r.order.size(), points.size());
  std::set<std::string> unique;
  const std::int64_t T = c.tokens(), C = c.embed_dim, H = c.mlp_hidden, heads = c.num_heads;
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(r.order[i], points[i].name);
    unique.insert(points[i].name);
    const std::string& n = points[i].name;
    std::int64_t want = T * C;
    if (n == "input") want = c.in_channels * c.image_size * c.image_size;
    if (n == "patch_embed.qact") want = c.num_patches() * C;
    if (n.ends_with("attn.qact1")) want = T * 3 * C;
    if (n.ends_with("qact_attn1") || n.ends_with("int_softmax")) want = heads * T * T;
    if (n.ends_with("mlp.qact_gelu") || n.ends_with("mlp.qact1")) want = T * H;
    if (n == "qact2") want = C;
    EXPECT_EQ(r.values.at(n).size(), static_cast<std::size_t>(want)) << n;
    EXPECT_EQ(points[i].quant_act, !n.ends_with("int_softmax")) << n;
  }
  EXPECT_EQ(unique.size(), points.size());
  EXPECT_EQ(points[1].bits, 16);  // patch_embed.qact
  EXPECT_EQ(points[4].bits, 8);   // blocks.0.qact1
  EXPECT_EQ(r.logits.size(), static_cast<std::size_t>(c.num_classes));
}

TEST(FloatForward, PatchEmbeddingIsTheStridedConvolution) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit v = MakeSyntheticVit(c, 2);
  const std::vector<float> image = SyntheticImage(c, 5);
  const ForwardRun r = Forward(v, 5);
  const std::int64_t P = c.patch_size, S = c.image_size, g = c.grid(), K = c.patch_dim();
  for (const std::int64_t p : {std::int64_t{0}, std::int64_t{3}}) {
    for (const std::int64_t o : {std::int64_t{0}, std::int64_t{17}}) {
      double want = v.patch_embed.bias[o];
      for (std::int64_t ch = 0; ch < c.in_channels; ++ch) {
        for (std::int64_t i = 0; i < P; ++i) {
          for (std::int64_t j = 0; j < P; ++j) {
            want += static_cast<double>(v.patch_embed.weight[o * K + (ch * P + i) * P + j]) *
                    image[(ch * S + (p / g) * P + i) * S + (p % g) * P + j];
          }
        }
      }
      EXPECT_NEAR(r.values.at("patch_embed.qact")[p * c.embed_dim + o], want, 1e-4);
    }
  }
}

TEST(FloatForward, AttentionSoftmaxResidualsAndHeadFollowTheirFormulas) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit v = MakeSyntheticVit(c, 3);
  const ForwardRun r = Forward(v, 7);
  const std::int64_t T = c.tokens(), C = c.embed_dim, d = c.head_dim();
  // Scaled scores of head 1, query 2, key 4, from the observed qkv.
  const auto& qkv = r.values.at("blocks.0.attn.qact1");
  double dot = 0.0;
  for (std::int64_t e = 0; e < d; ++e) dot += qkv[2 * 3 * C + d + e] * qkv[4 * 3 * C + C + d + e];
  EXPECT_NEAR(r.values.at("blocks.0.attn.qact_attn1")[(T + 2) * T + 4], dot / std::sqrt(d), 1e-4);
  // Probabilities: rows sum to one, and follow exp of the scores.
  const auto& s = r.values.at("blocks.0.attn.qact_attn1");
  const auto& p = r.values.at("blocks.0.attn.int_softmax");
  for (std::int64_t row = 0; row < c.num_heads * T; ++row) {
    double sum = 0.0;
    for (std::int64_t j = 0; j < T; ++j) sum += p[row * T + j];
    EXPECT_NEAR(sum, 1.0, 1e-5);
    EXPECT_NEAR(p[row * T] / p[row * T + 1], std::exp(s[row * T] - s[row * T + 1]), 1e-3);
  }
  // Residuals are exact float sums.
  const auto& x = r.values.at("qact1");
  const auto& a = r.values.at("blocks.0.attn.qact3");
  const auto& x2 = r.values.at("blocks.0.qact2");
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x2[i], x[i] + a[i]);
  // The final LayerNorm of the cls row, then the head.
  const auto& last = r.values.at("blocks.1.qact4");
  double mean = 0.0, var = 0.0;
  for (std::int64_t ch = 0; ch < C; ++ch) mean += last[ch];
  mean /= C;
  for (std::int64_t ch = 0; ch < C; ++ch) var += (last[ch] - mean) * (last[ch] - mean);
  const double inv = 1.0 / std::sqrt(var / C + 1e-6);
  const auto& n = r.values.at("qact2");
  for (std::int64_t ch = 0; ch < C; ++ch) {
    EXPECT_NEAR(n[ch], (last[ch] - mean) * inv * v.norm.gamma[ch] + v.norm.beta[ch], 1e-4);
  }
  for (std::int64_t k = 0; k < c.num_classes; ++k) {
    double logit = v.head.bias[k];
    for (std::int64_t ch = 0; ch < C; ++ch)
      logit += static_cast<double>(v.head.weight[k * C + ch]) * n[ch];
    EXPECT_NEAR(r.logits[k], logit, 1e-4);
  }
}

TEST(FloatForward, GeluFormIsSelectable) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit v = MakeSyntheticVit(c, 3);
  for (const GeluForm form : {GeluForm::kSigmoid1702, GeluForm::kErf}) {
    FloatForwardOptions o;
    o.gelu = form;
    const ForwardRun r = Forward(v, 7, o);
    const auto& in = r.values.at("blocks.0.mlp.qact_gelu");
    const auto& out = r.values.at("blocks.0.mlp.qact1");
    for (std::size_t i = 0; i < in.size(); i += 37) {
      const double x = in[i];
      const double want = form == GeluForm::kErf ? 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)))
                                                 : x / (1.0 + std::exp(-1.702 * x));
      EXPECT_NEAR(out[i], want, 1e-5);
    }
  }
}

TEST(FloatForward, IsDeterministic) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const FloatVit v = MakeSyntheticVit(c, 4);
  EXPECT_EQ(Forward(v, 1).logits, Forward(v, 1).logits);
  EXPECT_NE(Forward(v, 1).logits, Forward(v, 2).logits);
}

TEST(FloatForward, SyntheticDeitLooksTrainedNotFreshlyInitialized) {
  // A freshly initialized DeiT (std 0.02) has near-uniform attention (entropy ~ log T) and
  // activations that shrink; the recipe must avoid both. Measured (seed 1, image 11): mean
  // attention entropy 3.72 and 3.86 nats against log 197 = 5.28; GELU inputs 35 % and 34 %
  // positive; the residual stream's largest channel 3.0x and 3.3x the median channel.
  const ModelConfig c = DeitTinyDepth(2);
  const ForwardRun r = Forward(MakeSyntheticVit(c, 1), 11);
  const std::int64_t T = c.tokens(), C = c.embed_dim;
  for (const std::string b : {"blocks.0.", "blocks.1."}) {
    const auto& p = r.values.at(b + "attn.int_softmax");
    double entropy = 0.0;
    for (const float x : p) entropy -= x > 0.0f ? x * std::log(x) : 0.0;
    entropy /= static_cast<double>(c.num_heads * T);
    EXPECT_LT(entropy, 0.8 * std::log(static_cast<double>(T))) << b;
    const auto& g = r.values.at(b + "mlp.qact_gelu");
    const double positive =
        static_cast<double>(std::count_if(g.begin(), g.end(), [](float x) { return x > 0; })) /
        static_cast<double>(g.size());
    EXPECT_GT(positive, 0.2) << b;
    EXPECT_LT(positive, 0.5) << b;
    const auto& x = r.values.at(b + "qact4");
    std::vector<double> chan(static_cast<std::size_t>(C), 0.0);
    for (std::size_t i = 0; i < x.size(); ++i)
      chan[i % C] = std::max<double>(chan[i % C], std::fabs(x[i]));
    std::sort(chan.begin(), chan.end());
    EXPECT_GT(chan[C / 2], 1.0) << b;                // not vanishing
    EXPECT_GT(chan[C - 1], 2.0 * chan[C / 2]) << b;  // outlier channels
  }
}

TEST(FloatForward, RejectsAnImageOfTheWrongSize) {
  const FloatVit v = MakeSyntheticVit(ModelPreset("vit-tiny-test"), 1);
  EXPECT_THROW(FloatForward(v, std::vector<float>(10, 0.0f)), InputError);
}

}  // namespace
}  // namespace intvit::model
