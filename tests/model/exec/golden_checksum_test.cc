// Golden checksums: any silent change of the integer semantics, the ViT builder, the
// synthesizer or the GEMM kernels changes these values. A deliberate change must update them,
// with a commit message saying why.
#include <gtest/gtest.h>

#include <cstdint>

#include "model/exec/run_reference.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/quant/synthesize.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {
namespace {

// FNV-1a over the int64 values of a tensor.
std::uint64_t Fnv1a(const Tensor& t, std::uint64_t h = 1469598103934665603ull) {
  for (std::int64_t v : t.ToInt64()) {
    for (int b = 0; b < 8; ++b) {
      h ^= static_cast<std::uint64_t>(v >> (8 * b)) & 0xff;
      h *= 1099511628211ull;
    }
  }
  return h;
}

// Hash of every activation in graph order.
std::uint64_t TraceHash(const Graph& g, const GoldenTrace& trace) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (trace.Has(static_cast<int>(i))) h = Fnv1a(trace.Get(static_cast<int>(i)), h);
  }
  return h;
}

TEST(GoldenChecksum, SynthesizedTinyVit) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const Graph g = BuildVitGraph(c, SynthesizeModel(c, 1, 64));
  const RunResult r = RunReference(g, QuantizedSyntheticImage(c, g.params, 5));
  EXPECT_EQ(r.logits.ToInt64(), (std::vector<std::int64_t>{-10160, 17647, 752, -4523, -6864, -1266,
                                                            -8638, -5116, -34576, -23886}));
  EXPECT_EQ(TraceHash(g, r.trace), 6423224853654180931ull);
}

TEST(GoldenChecksum, RandomDeitTiny) {
  const ModelConfig c = ModelPreset("deit-tiny");
  const Graph g = BuildVitGraph(c, RandomModelParams(c, 1));
  const RunResult r = RunReference(g, RandomImage(c, 2));
  EXPECT_EQ(Fnv1a(r.logits), 9704141527183076822ull);
  EXPECT_EQ(TraceHash(g, r.trace), 14854466200160453980ull);
}

}  // namespace
}  // namespace intvit::model
