// Instructions are attributed to the graph node they work for (layers.csv rows).
#include "sim/top/attribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/compile.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::sim {
namespace {

using isa::Opcode;
using model::OpKind;

TEST(AttributeInstructions, EveryOpcodeLandsOnANodeOfTheMatchingKind) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  for (const char* arch : {"base16", "tiny4", "small_sram"}) {
    const compiler::Program p =
        compiler::Compile(g, compiler::LoadArchConfig(std::string(INTVIT_SOURCE_DIR) +
                                                      "/configs/arch/" + arch + ".json"));
    const std::vector<int> node = AttributeInstructions(p, g);
    ASSERT_EQ(node.size(), p.instrs.size());
    std::map<int, std::int64_t> macs;
    for (std::size_t i = 0; i < p.instrs.size(); ++i) {
      const isa::Instr& in = p.instrs[i];
      const auto op = static_cast<Opcode>(in.opcode);
      if (op == Opcode::kFinish) continue;
      ASSERT_GE(node[i], 0) << arch << " instruction " << i;
      const model::Node& n = g.nodes[static_cast<std::size_t>(node[i])];
      switch (op) {
        case Opcode::kGemm:
          macs[node[i]] += static_cast<std::int64_t>(in.rows * in.cols * in.depth);
          EXPECT_TRUE(n.kind == OpKind::kLinear || n.kind == OpKind::kConvPatch ||
                      n.kind == OpKind::kAttnScores || n.kind == OpKind::kAttnContext)
              << n.name;
          if (n.kind == OpKind::kAttnContext) {
            EXPECT_EQ(in.b_kn, 1u) << n.name;
          }
          break;
        case Opcode::kRequant:
          EXPECT_EQ(n.kind, OpKind::kRequant) << n.name;
          break;
        case Opcode::kShiftmax:
          EXPECT_EQ(n.kind, OpKind::kShiftmax) << n.name;
          break;
        case Opcode::kGelu:
          EXPECT_EQ(n.kind, OpKind::kShiftGelu) << n.name;
          break;
        case Opcode::kLayernorm:
          EXPECT_EQ(n.kind, OpKind::kLayerNorm) << n.name;
          break;
        default:
          break;
      }
      // The node belongs to the instruction's layer group.
      const auto& nodes = p.layers.at(in.layer).nodes;
      EXPECT_NE(std::find(nodes.begin(), nodes.end(), n.name), nodes.end())
          << arch << ": " << n.name << " is not in layer " << p.layers.at(in.layer).name;
    }
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
      EXPECT_EQ(macs[static_cast<int>(n)], g.Macs(g.nodes[n])) << arch << " " << g.nodes[n].name;
    }
  }
}

TEST(AttributeInstructions, HeadsGetTheirOwnShiftmaxAndGemms) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 2));
  const compiler::Program p = compiler::Compile(
      g, compiler::LoadArchConfig(std::string(INTVIT_SOURCE_DIR) + "/configs/arch/base16.json"));
  const std::vector<int> node = AttributeInstructions(p, g);
  std::set<std::string> softmax_nodes;
  for (std::size_t i = 0; i < p.instrs.size(); ++i) {
    if (static_cast<Opcode>(p.instrs[i].opcode) == Opcode::kShiftmax) {
      softmax_nodes.insert(g.nodes[static_cast<std::size_t>(node[i])].name);
    }
  }
  EXPECT_EQ(softmax_nodes.size(), static_cast<std::size_t>(c.depth * c.num_heads));
  EXPECT_TRUE(softmax_nodes.count("blocks.1.attn.int_softmax.h1"));
}

}  // namespace
}  // namespace intvit::sim
