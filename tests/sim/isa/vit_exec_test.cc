// Compiled ViTs execute bit-exact against the golden trace on every shipped arch config.
#include <gtest/gtest.h>

#include <random>

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
      const Compiled r =
          CompileAndCheck(g, compiler::LoadArchConfig(ArchPath(arch)), image, golden, o);
      EXPECT_TRUE(r.report.pass())
          << arch << " seed " << seed << ": " << r.report.FirstMismatchText();
    }
  }
}

TEST(VitExec, RandomSchedulesCatchAProgramWithoutWaits) {
  // The check above means something only if a missing dependency shows: drop every wait.
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 3));
  const model::Tensor image = model::RandomImage(c, 4);
  const model::RunResult golden = model::RunReference(g, image);
  compiler::Program p = compiler::Compile(g, compiler::LoadArchConfig(ArchPath("tiny4")));
  for (auto& i : p.instrs) {
    i.wait0_unit = i.wait1_unit = i.wait2_unit = isa::kNoWaitUnit;
    i.wait0_count = i.wait1_count = i.wait2_count = 0;
  }
  ExecOptions o;
  o.shuffle_seed = 1;
  bool caught = false;
  try {
    const Machine m = RunProgram(p, image, o);
    caught = !CheckAgainstTrace(p, m, g, golden.trace).pass();
  } catch (const InputError&) {
    caught = true;  // e.g. a requant read its parameters before they were loaded
  }
  EXPECT_TRUE(caught);
  // In program order the same program is still right.
  EXPECT_TRUE(CheckAgainstTrace(p, RunProgram(p, image), g, golden.trace).pass());
}

// DeiT-Tiny on the shipped configs: small_sram forces K splits and row splits.
class DeitTinyExec : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    const model::ModelConfig c = model::ModelPreset("deit-tiny");
    graph_ = new model::Graph(model::BuildVitGraph(c, model::RandomModelParams(c, 1)));
    image_ = new model::Tensor(model::RandomImage(c, 1));
    golden_ = new model::RunResult(model::RunReference(*graph_, *image_));
  }
  static void TearDownTestSuite() {
    delete golden_;
    delete image_;
    delete graph_;
  }
  static model::Graph* graph_;
  static model::Tensor* image_;
  static model::RunResult* golden_;
};
model::Graph* DeitTinyExec::graph_ = nullptr;
model::Tensor* DeitTinyExec::image_ = nullptr;
model::RunResult* DeitTinyExec::golden_ = nullptr;

TEST_P(DeitTinyExec, IsBitExact) {
  const Compiled r =
      CompileAndCheck(*graph_, compiler::LoadArchConfig(ArchPath(GetParam())), *image_, *golden_);
  EXPECT_TRUE(r.report.pass()) << r.report.FirstMismatchText();
  // Every block's seven DRAM tensors, the patch embedding (and its view), qact1, the final
  // norm (and the cls_select view) and the logits.
  EXPECT_EQ(r.report.tensors.size(), 12u * 7 + 6);
  if (std::string(GetParam()) == "small_sram") {
    bool k_split = false;
    for (const auto& i : r.program.instrs) {
      k_split |= i.opcode == static_cast<std::uint64_t>(isa::Opcode::kGemm) && i.accumulate &&
                 i.src0_type == static_cast<std::uint64_t>(isa::ElemType::kI8);
    }
    EXPECT_TRUE(k_split);
    for (const auto& l : r.program.layers) {
      if (l.name == "blocks.0.mlp.fc2") {
        EXPECT_EQ(l.tiling.find("rows 197"), std::string::npos) << l.tiling;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, DeitTinyExec,
                         ::testing::Values("base16", "wide8x32", "big32", "small_sram"));

TEST(VitExec, RandomModelsOnRandomConfigsAreBitExact) {
  std::mt19937_64 rng(99);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  int compiled = 0;
  for (int trial = 0; trial < 24; ++trial) {
    model::ModelConfig c = model::ModelPreset("vit-tiny-test");
    c.arch = "custom";
    c.patch_size = pick(0, 1) ? 8 : 16;
    c.image_size = c.patch_size * pick(1, 3);
    c.in_channels = pick(1, 3);
    c.num_heads = pick(1, 3);
    c.embed_dim = c.num_heads * pick(3, 24);
    c.mlp_hidden = pick(5, 90);
    c.depth = 1;
    c.num_classes = pick(1, 40);
    compiler::ArchConfig a;
    a.array_rows = pick(1, 20), a.array_cols = pick(1, 20);
    a.act.kib = pick(2, 16), a.wgt.kib = pick(1, 8), a.acc.kib = pick(1, 8),
    a.vec.kib = pick(2, 16);
    const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, trial));
    const model::Tensor image = model::RandomImage(c, trial);
    const model::RunResult golden = model::RunReference(g, image);
    SCOPED_TRACE("trial " + std::to_string(trial));
    try {
      ExecOptions o;
      if (trial % 2) o.shuffle_seed = trial;
      const Compiled r = CompileAndCheck(g, a, image, golden, o);
      EXPECT_TRUE(r.report.pass()) << r.report.FirstMismatchText();
      ++compiled;
    } catch (const InputError& e) {
      // Too small for this model: the message must say which layer and buffer.
      EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos) << e.what();
    }
  }
  EXPECT_GE(compiled, 18);
}

TEST(VitExec, AMismatchIsReportedWithLayerTensorAndCoordinate) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 5));
  const model::Tensor image = model::RandomImage(c, 5);
  const model::RunResult golden = model::RunReference(g, image);
  const compiler::Program p = compiler::Compile(g, compiler::ArchConfig{});
  Machine m = RunProgram(p, image);
  const compiler::DramRegion* r = p.memory.Find("blocks.1.attn.qact1");
  ASSERT_NE(r, nullptr);
  m.dram()[r->addr + 3 * r->shape[1] + 5] ^= 0x40;  // row 3, column 5
  const CheckReport rep = CheckAgainstTrace(p, m, g, golden.trace);
  EXPECT_FALSE(rep.pass());
  EXPECT_NE(
      rep.FirstMismatchText().find("layer blocks.1.attn.qkv, tensor blocks.1.attn.qact1[3, 5]"),
      std::string::npos)
      << rep.FirstMismatchText();
  EXPECT_NE(rep.PerLayerText(p).find("FAIL blocks.1.attn.qkv"), std::string::npos);
}

}  // namespace
}  // namespace intvit::sim
