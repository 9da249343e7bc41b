#include "model/exec/run_reference.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::model {
namespace {

Graph TinyGraph(std::uint64_t seed = 1) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  return BuildVitGraph(c, RandomModelParams(c, seed));
}

TEST(RunReference, TinyVitProducesLogitsAndAFullTrace) {
  const Graph g = TinyGraph();
  const RunResult r = RunReference(g, RandomImage(g.config, 3));
  EXPECT_EQ(r.logits.shape(), (std::vector<std::int64_t>{1, 10}));
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    EXPECT_EQ(r.trace.Has(static_cast<int>(i)), !g.tensors[i].is_constant) << g.tensors[i].name;
  }
}

TEST(RunReference, ActivationsAreSpreadNotSaturatedOrZero) {
  // The random parameters are meant to keep every int8 activation busy; a regression in an op
  // or the builder usually collapses some tensor to all-zero or all-saturated.
  const Graph g = TinyGraph();
  const RunResult r = RunReference(g, RandomImage(g.config, 3));
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (g.tensors[i].is_constant || g.tensors[i].dtype != DType::kInt8) continue;
    const auto v = r.trace.Get(static_cast<int>(i)).ToInt64();
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    EXPECT_LT(*lo, *hi) << g.tensors[i].name << " is constant";
  }
}

TEST(RunReference, TracelessRunGivesTheSameLogits) {
  const Graph g = TinyGraph();
  const Tensor image = RandomImage(g.config, 4);
  const RunResult full = RunReference(g, image);
  RunOptions o;
  o.keep_trace = false;
  std::size_t calls = 0;
  o.progress = [&](std::size_t done, std::size_t total) {
    ++calls;
    EXPECT_LE(done, total);
  };
  const RunResult lean = RunReference(g, image, o);
  EXPECT_EQ(full.logits, lean.logits);
  EXPECT_EQ(calls, g.nodes.size());
  EXPECT_FALSE(lean.trace.Has(g.FindTensor("blocks.0.attn.qkv")));
}

// A traceless run recycles dropped activations (stale contents) as later outputs: every op must
// overwrite all of its output. Two images in a row on every ISA, against full-trace runs.
TEST(RunReference, TracelessRunsWithRecycledTensorsMatchOnEveryIsa) {
  const Graph g = TinyGraph(5);
  for (GemmIsa isa : SupportedGemmIsas()) {
    for (std::uint64_t seed : {11, 12}) {
      const Tensor image = RandomImage(g.config, seed);
      RunOptions full;
      full.isa = isa;
      RunOptions lean = full;
      lean.keep_trace = false;
      EXPECT_EQ(RunReference(g, image, lean).logits, RunReference(g, image, full).logits)
          << GemmIsaName(isa) << " seed " << seed;
    }
  }
}

// The spare tensors of GoldenTrace: same dtype and shape only.
TEST(GoldenTrace, NewTensorReusesOnlyAMatchingDroppedTensor) {
  GoldenTrace t(2);
  t.Set(0, Tensor::FromVector<std::int16_t>({2}, {7, 8}));
  t.Drop(0);
  EXPECT_EQ(t.NewTensor(DType::kInt16, {1, 2}).Span<std::int16_t>()[0], 0);  // new, zeroed
  EXPECT_EQ(t.NewTensor(DType::kInt32, {2}).Span<std::int32_t>()[0], 0);
  EXPECT_EQ(t.NewTensor(DType::kInt16, {2}).Span<std::int16_t>()[1], 8);  // the spare
  EXPECT_EQ(t.NewTensor(DType::kInt16, {2}).Span<std::int16_t>()[1], 0);  // used up
}

TEST(RunReference, EveryGemmIsaGivesTheSameTrace) {
  const Graph g = TinyGraph(7);
  const Tensor image = RandomImage(g.config, 8);
  RunOptions scalar;
  scalar.isa = GemmIsa::kScalar;
  const RunResult want = RunReference(g, image, scalar);
  for (GemmIsa isa : SupportedGemmIsas()) {
    RunOptions o;
    o.isa = isa;
    const RunResult got = RunReference(g, image, o);
    for (std::size_t i = 0; i < g.tensors.size(); ++i) {
      if (g.tensors[i].is_constant) continue;
      ASSERT_EQ(got.trace.Get(static_cast<int>(i)), want.trace.Get(static_cast<int>(i)))
          << g.tensors[i].name << " with " << GemmIsaName(isa);
    }
  }
}

TEST(RunReference, RejectsAnImageOfTheWrongShape) {
  const Graph g = TinyGraph();
  EXPECT_THROW(RunReference(g, Tensor(DType::kInt8, {3, 16, 16})), InputError);
  EXPECT_THROW(RunReference(g, Tensor(DType::kInt16, {3, 32, 32})), InputError);
}

TEST(RunReference, AttentionHeadsWriteTheirOwnColumns) {
  // Recompute head 1's context of block 0 from the trace with the plain ops, and compare.
  const Graph g = TinyGraph();
  const RunResult r = RunReference(g, RandomImage(g.config, 5));
  const std::int64_t t = g.config.tokens(), c = g.config.embed_dim, d = g.config.head_dim();
  const auto qkv = r.trace.Get(g, "blocks.0.attn.qact1").Span<std::int8_t>();
  const auto probs = r.trace.Get(g, "blocks.0.attn.int_softmax.h1").Span<std::uint16_t>();
  const auto ctx = r.trace.Get(g, "blocks.0.attn.matmul_2").Span<std::int32_t>();
  for (std::int64_t i = 0; i < t; ++i) {
    for (std::int64_t k = 0; k < d; ++k) {
      std::int64_t want = 0;
      for (std::int64_t j = 0; j < t; ++j) {
        want += std::int64_t{probs[i * t + j]} * qkv[j * 3 * c + 2 * c + d + k];
      }
      ASSERT_EQ(ctx[i * c + d + k], want) << i << "," << k;
    }
  }
}

}  // namespace
}  // namespace intvit::model
