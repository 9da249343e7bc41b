// Compiled ViTs execute bit-exact against the golden trace on every shipped arch config.
#include <gtest/gtest.h>

#include <chrono>

#include "compiler/compile.h"
#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "sim/isa/executor.h"

namespace intvit::sim {
namespace {

std::string ArchPath(const std::string& name) {
  return std::string(INTVIT_SOURCE_DIR) + "/configs/arch/" + name + ".json";
}

struct Compiled {
  compiler::Program program;
  CheckReport report;
};

Compiled CompileAndCheck(const model::Graph& g, const compiler::ArchConfig& arch,
                    const model::Tensor& image, const model::RunResult& golden,
                    const ExecOptions& options = {}) {
  Compiled r{compiler::Compile(g, arch), {}};
  const Machine m = RunProgram(r.program, image, options);
  r.report = CheckAgainstTrace(r.program, m, g, golden.trace);
  return r;
}

TEST(VitExec, TinyTestModelIsBitExactOnEveryConfig) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  const model::Tensor image = model::RandomImage(c, 2);
  const model::RunResult golden = model::RunReference(g, image);
  for (const char* arch : {"base16", "tiny4", "wide8x32", "big32", "small_sram"}) {
    const Compiled r = CompileAndCheck(g, compiler::LoadArchConfig(ArchPath(arch)), image, golden);
    EXPECT_TRUE(r.report.pass()) << arch << ": " << r.report.FirstMismatchText();
    EXPECT_GE(r.report.tensors.size(), 10u);
  }
}

TEST(VitExec, RandomLegalSchedulesGiveTheSameBits) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 3));
  const model::Tensor image = model::RandomImage(c, 4);
  const model::RunResult golden = model::RunReference(g, image);
  for (const char* arch : {"base16", "small_sram", "tiny4"}) {
    for (std::uint64_t seed : {1, 2}) {
      ExecOptions o;
      o.shuffle_seed = seed;
      const Compiled r = CompileAndCheck(g, compiler::LoadArchConfig(ArchPath(arch)), image, golden, o);
      EXPECT_TRUE(r.report.pass()) << arch << " seed " << seed << ": "
                                   << r.report.FirstMismatchText();
    }
  }
}

}  // namespace
}  // namespace intvit::sim
