#include "compiler/compile.h"

#include <gtest/gtest.h>

#include <cstring>

#include "compiler/isa/codec.h"
#include "compiler/lower/groups.h"
#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::compiler {
namespace {

model::Graph Tiny(std::uint64_t seed = 1) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  return model::BuildVitGraph(c, model::RandomModelParams(c, seed));
}

const model::Graph& DeitTiny() {
  static const model::Graph g = [] {
    const model::ModelConfig c = model::ModelPreset("deit-tiny");
    return model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  }();
  return g;
}

template <class F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

TEST(Compile, GroupsCoverTheGraphInOrder) {
  const model::Graph g = Tiny();
  const std::vector<Group> groups = FindGroups(g);
  std::size_t next = 0;
  for (const Group& grp : groups) {
    for (int n : grp.nodes) EXPECT_EQ(static_cast<std::size_t>(n), next++);
  }
  EXPECT_EQ(next, g.nodes.size());
  // patch_embed, qact1, per block 7 groups, final norm and head.
  EXPECT_EQ(groups.size(), 2 + 7 * g.config.depth + 2);
  EXPECT_EQ(groups[0].kind, GroupKind::kPatchEmbed);
  EXPECT_EQ(groups[4].name, "blocks.0.attn");
  EXPECT_EQ(groups.back().name, "head");
}

TEST(Compile, ProgramIsEncodableAndLayersPartitionIt) {
  const Program p = Compile(Tiny(), ArchConfig{});
  std::size_t next = 0;
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    EXPECT_EQ(p.layers[l].first_instr, next);
    next += p.layers[l].num_instrs;
    for (std::size_t i = p.layers[l].first_instr; i < next; ++i) EXPECT_EQ(p.instrs[i].layer, l);
  }
  EXPECT_EQ(next, p.instrs.size());
  EXPECT_EQ(p.instrs.back().opcode, static_cast<std::uint64_t>(isa::Opcode::kFinish));
  for (const auto& i : p.instrs) EXPECT_NO_THROW(isa::Decode(isa::Encode(i)));
}

TEST(Compile, DramImageHoldsConstantsAndTheClsRow) {
  const model::Graph g = Tiny();
  const Program p = Compile(g, ArchConfig{});
  const DramRegion* cat = p.memory.Find("cls_concat");
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->kind, "activation");
  const auto cls = g.params.tensors.at("cls_token").Span<std::int16_t>();
  EXPECT_EQ(std::memcmp(p.dram_image.data() + cat->addr, cls.data(), cls.size_bytes()), 0);
  const DramRegion* w = p.memory.Find("blocks.0.attn.qkv.weight");
  ASSERT_NE(w, nullptr);
  const auto wq = g.params.tensors.at("blocks.0.attn.qkv.weight").Span<std::int8_t>();
  EXPECT_EQ(std::memcmp(p.dram_image.data() + w->addr, wq.data(), wq.size()), 0);
  EXPECT_NE(p.memory.Find("blocks.0.qact4.me"), nullptr);
  EXPECT_NE(p.memory.Find("blocks.0.qact4.res_me"), nullptr);
  EXPECT_NE(p.memory.Find("blocks.0.norm1.bias_int"), nullptr);
  // Constants come before the input and the activations.
  EXPECT_LT(w->addr, p.memory.Find("input")->addr);
  EXPECT_EQ(p.dram_image.size(), p.memory.dram_bytes);
  // patch_embed.qact is checked as rows 1.. of cls_concat.
  bool view = false;
  for (const auto& c : p.checks) {
    if (c.tensor == "patch_embed.qact") {
      view = true;
      EXPECT_EQ(c.dram_addr, cat->addr + c.row_pitch);
    }
  }
  EXPECT_TRUE(view);
}

TEST(Compile, SramUseStaysWithinEveryBuffer) {
  for (const char* arch : {"base16", "tiny4", "small_sram"}) {
    const ArchConfig a = LoadArchConfig(arch);
    const Program p = Compile(DeitTiny(), a);
    for (const auto b : {isa::Buffer::kAct, isa::Buffer::kWgt, isa::Buffer::kAcc, isa::Buffer::kVec}) {
      EXPECT_LE(p.memory.sram_peak[static_cast<int>(b)], static_cast<std::uint64_t>(a.SramBytes(b)))
          << arch;
      EXPECT_GT(p.memory.sram_peak[static_cast<int>(b)], 0u);
    }
  }
}

TEST(Compile, RowsLongerThanTheRowUnitHoldsAreRefused) {
  // DeiT-Tiny's ShiftGELU rows are 768 wide; a 512-column row buffer cannot take them.
  ArchConfig a;
  a.gelu.max_cols = 512;
  const std::string msg = ErrorOf([&] { Compile(DeitTiny(), a); });
  EXPECT_NE(msg.find("gelu rows of 768 columns, more than gelu.max_cols = 512"),
            std::string::npos)
      << msg;
  a.gelu.max_cols = 768;
  EXPECT_NO_THROW(Compile(DeitTiny(), a));
}

TEST(Compile, ALayerThatCannotFitNamesTheLayerAndTheBuffer) {
  const ArchConfig a = LoadArchConfig("base16", {"sram.acc.kib=1"});
  const std::string msg = ErrorOf([&] { Compile(DeitTiny(), a); });
  EXPECT_NE(msg.find("layer blocks.0.attn"), std::string::npos) << msg;
  EXPECT_NE(msg.find("acc SRAM needs"), std::string::npos) << msg;
  EXPECT_NE(msg.find("but has 1024"), std::string::npos) << msg;
}

TEST(Compile, ParametersOutsideTheIsaAreCompileErrors) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  model::ModelParams params = model::RandomModelParams(c, 1);
  params.gelus.at("blocks.0.mlp.act").x0 = -(std::int64_t{1} << 24);
  const std::string msg = ErrorOf([&] { Compile(model::BuildVitGraph(c, params), ArchConfig{}); });
  EXPECT_NE(msg.find("blocks.0.mlp.act x0"), std::string::npos) << msg;
  model::ModelConfig odd = c;
  odd.div = 1000;
  EXPECT_NE(ErrorOf([&] {
              Compile(model::BuildVitGraph(odd, model::RandomModelParams(odd, 1)), ArchConfig{});
            }).find("div = 1000"),
            std::string::npos);
}

TEST(Compile, UnsupportedGraphsAreNamedErrors) {
  model::Graph g = Tiny();
  g.nodes.erase(g.nodes.begin() + 2);  // cls_concat
  EXPECT_NE(ErrorOf([&] { FindGroups(g); }).find("unsupported graph at node 'patch_embed.proj'"),
            std::string::npos);
}

TEST(Compile, ListingAndMemoryMapAreReadable) {
  const Program p = Compile(Tiny(), LoadArchConfig("tiny4"), "tiny");
  const std::string asm_text = ProgramListing(p);
  EXPECT_NE(asm_text.find("; intvit program: model tiny on arch tiny4"), std::string::npos);
  EXPECT_NE(asm_text.find("; array 4x4 ws"), std::string::npos);
  EXPECT_NE(asm_text.find("; ---- layer 3: blocks.0.attn.qkv (linear)"), std::string::npos);
  EXPECT_NE(asm_text.find("gemm      acc["), std::string::npos);
  const nlohmann::json j = MemoryMapJson(p);
  EXPECT_EQ(j["arch"], "tiny4");
  EXPECT_EQ(j["layers"].size(), p.layers.size());
  EXPECT_EQ(j["checks"].size(), p.checks.size());
  EXPECT_LE(j["sram"]["act"]["peak_bytes"].get<std::uint64_t>(), 32u * 1024);
  const std::string summary = ProgramSummary(p);
  EXPECT_NE(summary.find("instructions by opcode: load="), std::string::npos) << summary;
  EXPECT_NE(summary.find("SRAM peak: act"), std::string::npos) << summary;
}

TEST(Compile, TheDataflowDoesNotChangeTheProgram) {
  const model::Graph g = Tiny();
  const Program ws = Compile(g, ArchConfig{});
  const Program is = Compile(g, LoadArchConfig("base16", {"array.dataflow=is"}));
  EXPECT_EQ(ws.instrs, is.instrs);
  EXPECT_NE(ProgramSummary(is).find("scalesim"), std::string::npos);
}

}  // namespace
}  // namespace intvit::compiler
