// Program::instr_node: the lowering records the Graph node every instruction works for
// (layers.csv rows, trace names, co-simulation reports use it).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/compile.h"
#include "compiler/program.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::compiler {
namespace {

using isa::Opcode;
using model::OpKind;

// Every instruction but finish has a node of its layer group and of the kind its opcode
// implements; the GEMM MACs attributed to each node are Graph::Macs of the node.
void CheckNodes(const model::Graph& g, const Program& p, const std::string& what) {
  ASSERT_EQ(p.instr_node.size(), p.instrs.size()) << what;
  std::map<int, std::int64_t> macs;
  for (std::size_t i = 0; i < p.instrs.size(); ++i) {
    const isa::Instr& in = p.instrs[i];
    const auto op = static_cast<Opcode>(in.opcode);
    const int node = p.instr_node[i];
    if (op == Opcode::kFinish) {
      EXPECT_EQ(node, -1) << what;
      continue;
    }
    ASSERT_GE(node, 0) << what << " instruction " << i;
    ASSERT_LT(static_cast<std::size_t>(node), g.nodes.size()) << what << " instruction " << i;
    const model::Node& n = g.nodes[static_cast<std::size_t>(node)];
    switch (op) {
      case Opcode::kGemm:
        macs[node] += static_cast<std::int64_t>(in.rows * in.cols * in.depth);
        EXPECT_TRUE(n.kind == OpKind::kLinear || n.kind == OpKind::kConvPatch ||
                    n.kind == OpKind::kAttnScores || n.kind == OpKind::kAttnContext)
            << what << ": gemm " << i << " on " << n.name;
        if (n.kind == OpKind::kAttnContext) {
          EXPECT_EQ(in.b_kn, 1u) << what << " " << n.name;
        }
        if (n.kind == OpKind::kAttnScores) {
          EXPECT_EQ(in.b_kn, 0u) << what << " " << n.name;
        }
        break;
      case Opcode::kRequant:
        EXPECT_EQ(n.kind, OpKind::kRequant) << what << " " << n.name;
        break;
      case Opcode::kShiftmax:
        EXPECT_EQ(n.kind, OpKind::kShiftmax) << what << " " << n.name;
        break;
      case Opcode::kGelu:
        EXPECT_EQ(n.kind, OpKind::kShiftGelu) << what << " " << n.name;
        break;
      case Opcode::kLayernorm:
        EXPECT_EQ(n.kind, OpKind::kLayerNorm) << what << " " << n.name;
        break;
      default:
        break;
    }
    const auto& nodes = p.layers.at(in.layer).nodes;
    EXPECT_NE(std::find(nodes.begin(), nodes.end(), n.name), nodes.end())
        << what << ": " << n.name << " is not in layer " << p.layers.at(in.layer).name;
  }
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    EXPECT_EQ(macs[static_cast<int>(n)], g.Macs(g.nodes[n])) << what << " " << g.nodes[n].name;
  }
}

TEST(InstrNode, DeitTinyEveryInstructionHasANodeAndGemmMacsMatchTheGraph) {
  const model::ModelConfig c = model::ModelPreset("deit-tiny");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  for (const char* arch : {"base16", "tiny4"}) {
    CheckNodes(g, Compile(g, LoadArchConfig(arch)), std::string("deit-tiny/") + arch);
  }
}

TEST(InstrNode, TinyModelOnEveryArchShape) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  for (const char* arch : {"base16", "tiny4", "small_sram"}) {
    CheckNodes(g, Compile(g, LoadArchConfig(arch)), std::string("vit-tiny-test/") + arch);
  }
}

TEST(InstrNode, HeadsGetTheirOwnScoresShiftmaxAndContext) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 2));
  const Program p = Compile(g, LoadArchConfig("base16"));
  std::set<std::string> softmax, context_loads;
  for (std::size_t i = 0; i < p.instrs.size(); ++i) {
    const auto op = static_cast<Opcode>(p.instrs[i].opcode);
    if (p.instr_node[i] < 0) continue;
    const model::Node& n = g.nodes[static_cast<std::size_t>(p.instr_node[i])];
    if (op == Opcode::kShiftmax) softmax.insert(n.name);
    // V_h is the context GEMM's operand: its loads work for the head's context.
    if (op == Opcode::kLoad && n.kind == OpKind::kAttnContext) context_loads.insert(n.name);
  }
  EXPECT_EQ(softmax.size(), static_cast<std::size_t>(c.depth * c.num_heads));
  EXPECT_TRUE(softmax.count("blocks.1.attn.int_softmax.h1"));
  EXPECT_EQ(context_loads.size(), static_cast<std::size_t>(c.depth * c.num_heads));
}

TEST(InstrNode, TheListingNamesEachInstructionsNode) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  const Program p = Compile(g, LoadArchConfig("base16"));
  const std::string asm_text = ProgramListing(p);
  EXPECT_NE(asm_text.find("  ; blocks.0.attn.int_softmax.h0\n"), std::string::npos);
  EXPECT_NE(asm_text.find("  ; patch_embed.proj\n"), std::string::npos);
  EXPECT_EQ(p.NodeName(p.instrs.size() - 1), "");  // finish
}

}  // namespace
}  // namespace intvit::compiler
