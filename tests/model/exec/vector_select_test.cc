// Selecting the nodes `intvit vectors` cuts: names, prefixes at dot boundaries, globs, op
// filters and the messages for names that match nothing.
#include "model/exec/vector_select.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::model {
namespace {

using ::testing::HasSubstr;

const Graph& Tiny() {
  static const Graph g = [] {
    const ModelConfig c = ModelPreset("vit-tiny-test");
    return BuildVitGraph(c, RandomModelParams(c, 1));
  }();
  return g;
}

std::vector<std::string> Names(const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(Tiny().nodes.at(id).name);
  return out;
}

std::string Message(const std::vector<std::string>& patterns, const std::set<std::string>& ops) {
  try {
    SelectNodes(Tiny(), patterns, ops);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GlobMatch, StarsSpanDotsAndQuestionMarksOneCharacter) {
  EXPECT_TRUE(GlobMatch("blocks.*.mlp.fc1", "blocks.11.mlp.fc1"));
  EXPECT_TRUE(GlobMatch("*softmax*", "blocks.0.attn.int_softmax.h2"));
  EXPECT_TRUE(GlobMatch("blocks.?.norm1", "blocks.3.norm1"));
  EXPECT_FALSE(GlobMatch("blocks.?.norm1", "blocks.10.norm1"));
  EXPECT_FALSE(GlobMatch("blocks.*.mlp.fc1", "blocks.1.mlp.fc2"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXbXd"));
}

TEST(MatchNodes, ANameIsThatNodeOrEveryNodeUnderItAtADot) {
  EXPECT_EQ(
      Names(MatchNodes(Tiny(), "blocks.0.attn.int_softmax")),
      (std::vector<std::string>{"blocks.0.attn.int_softmax.h0", "blocks.0.attn.int_softmax.h1"}));
  EXPECT_EQ(Names(MatchNodes(Tiny(), "blocks.1.norm1")),
            (std::vector<std::string>{"blocks.1.norm1"}));
  EXPECT_EQ(MatchNodes(Tiny(), "blocks.1").size(), 25u);
  EXPECT_TRUE(MatchNodes(Tiny(), "blocks.1.norm").empty());  // not at a dot boundary
  EXPECT_EQ(MatchNodes(Tiny(), "all").size(), 56u);
  EXPECT_EQ(Names(MatchNodes(Tiny(), "blocks.*.mlp.fc1")),
            (std::vector<std::string>{"blocks.0.mlp.fc1", "blocks.1.mlp.fc1"}));
}

TEST(SelectNodes, FiltersByOpAndKeepsGraphOrderWithoutDuplicates) {
  const auto ids = SelectNodes(Tiny(), {"blocks.1", "blocks.0", "blocks.1.attn"}, {"shiftmax"});
  EXPECT_EQ(Names(ids), (std::vector<std::string>{
                            "blocks.0.attn.int_softmax.h0", "blocks.0.attn.int_softmax.h1",
                            "blocks.1.attn.int_softmax.h0", "blocks.1.attn.int_softmax.h1"}));
  EXPECT_EQ(SelectNodes(Tiny(), {"all"}, {"conv_patch"}).size(), 1u);
}

TEST(SelectNodes, AnUnknownNameListsTheNodes) {
  const std::string m = Message({"blocks.7.attn"}, {});
  EXPECT_THAT(m, HasSubstr("\"blocks.7.attn\" matches no node"));
  EXPECT_THAT(m, HasSubstr("blocks.0.attn.int_softmax.h0"));
  EXPECT_THAT(m, HasSubstr("patch_embed.proj"));
}

TEST(SelectNodes, ADataMovementNodeSaysItHasNoOp) {
  EXPECT_THAT(Message({"cls_concat"}, {}), HasSubstr("moves data and has no intvit-vector-v1 op"));
}

TEST(SelectNodes, AnOpTheSelectedNodesLackNamesTheOpsTheyHold) {
  EXPECT_THAT(Message({"blocks.0.norm1"}, {"linear"}),
              HasSubstr("hold no linear op; they hold layernorm"));
}

TEST(NodeNameListing, FoldsTheRepeatedBlocksOfADeepModel) {
  const ModelConfig c = ModelPreset("deit-tiny");
  ModelConfig small = c;
  small.image_size = 32;  // the same 12 blocks, cheap weights
  const Graph g = BuildVitGraph(small, RandomModelParams(small, 1));
  const std::string s = NodeNameListing(g);
  EXPECT_THAT(s, HasSubstr("blocks.0.mlp.fc2"));
  EXPECT_THAT(s, ::testing::Not(HasSubstr("blocks.5.mlp.fc2")));
  EXPECT_THAT(s, HasSubstr("blocks.1 ... blocks.11: the same names as blocks.0"));
}

}  // namespace
}  // namespace intvit::model
