// libFuzzer harness: a model file (safetensors container, then the intvit-model-v1 metadata and
// tensors) as `--model FILE` reads it: ParseModelFile (ReadModelFile's parser) and
// BuildVitGraph, then, for a model small enough to run in a few milliseconds, one golden
// inference, since a file can hold any integer parameter in its documented range.
#include <cstddef>
#include <cstdint>
#include <span>

#include "model/exec/run_reference.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/io/model_file.h"
#include "tests/fuzz/fuzz_harness.h"

namespace {

using namespace intvit;

// A few thousand MACs per layer at most: the fuzzer's inputs are small, but a config with few
// parameters can still ask for a large image.
bool SmallEnoughToRun(const model::ModelConfig& c) {
  return c.num_patches() <= 16 && c.embed_dim <= 32 && c.mlp_hidden <= 128 && c.num_classes <= 64 &&
         c.depth <= 4 && c.image_size <= 64;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ExpectOnlyInputError([&] {
    model::ModelFile f = model::ParseModelFile(std::span(data, size), "fuzz.safetensors");
    const model::ModelConfig config = f.config;
    const model::Graph g = model::BuildVitGraph(config, std::move(f.params));
    if (!SmallEnoughToRun(config)) return;
    model::RunOptions options;
    options.keep_trace = false;
    const model::RunResult r = model::RunReference(g, model::RandomImage(config, 1), options);
    fuzz::Expect(r.logits.numel() == config.num_classes, "one logit per class");
  });
  return 0;
}
