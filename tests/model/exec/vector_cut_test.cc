// Cutting cases from a golden run: tile shapes (partial edge tiles included), the values of
// whole cases against the trace they came from, tiles against slices of the whole op, partial
// sums over K against the whole output, and every cut case against the golden op.
#include "model/exec/vector_cut.h"

#include <gtest/gtest.h>

#include "model/common/error.h"
#include "model/exec/op_case.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/ops/conv_patch.h"

namespace intvit::model {
namespace {

using Ints = std::vector<std::int64_t>;

NodeGeometry GemmGeo(std::int64_t m, std::int64_t n, std::int64_t k) {
  NodeGeometry g;
  g.op = g.tile_op = "linear";
  g.layout = TileLayout::kGemm;
  g.rows = m;
  g.cols = n;
  g.depth = k;
  g.dtypes = {{"x", DType::kInt8}, {"w", DType::kInt8}, {"b", DType::kInt32}, {"y", DType::kInt32}};
  return g;
}

TEST(PlanTiles, GemmFoldsAreArrayRowsByColsWithPartialEdgesAndDepthInnermost) {
  const auto tiles = PlanTiles(GemmGeo(5, 40, 35), UnitTiles{});
  ASSERT_EQ(tiles.size(), 9u);  // N: 16, 16, 8; K: 16, 16, 3
  EXPECT_EQ(tiles[0].rows, (Extent{0, 5}));
  EXPECT_EQ(tiles[0].cols, (Extent{0, 16}));
  EXPECT_EQ(tiles[0].depth, (Extent{0, 16}));
  EXPECT_EQ(tiles[1].depth, (Extent{16, 32}));
  EXPECT_EQ(tiles[2].depth, (Extent{32, 35}));
  EXPECT_EQ(tiles[8].cols, (Extent{32, 40}));
  EXPECT_EQ(tiles[8].depth, (Extent{32, 35}));
  EXPECT_EQ(tiles[5].Name(TileLayout::kGemm), "m0_n1_k2");
}

TEST(PlanTiles, GemmHonoursArrayShapeAndTileRows) {
  UnitTiles u;
  u.array_rows = 4;  // K per fold
  u.array_cols = 8;  // N per fold
  u.tile_rows = 2;
  const auto tiles = PlanTiles(GemmGeo(5, 8, 6), u);
  ASSERT_EQ(tiles.size(), 6u);  // M: 2, 2, 1; N: 8; K: 4, 2
  EXPECT_EQ(tiles[5].rows, (Extent{4, 5}));
  EXPECT_EQ(tiles[5].depth, (Extent{4, 6}));
  EXPECT_EQ(tiles[5].Name(TileLayout::kGemm), "m2_n0_k1");
}

TEST(PlanTiles, RowWiseOpsTakeWholeRowsInBlocksOfTheirLanes) {
  NodeGeometry g;
  g.op = g.tile_op = "shiftmax";
  g.layout = TileLayout::kRows;
  g.rows = 197;
  g.cols = 197;
  UnitTiles u;
  u.shiftmax_lanes = 32;
  const auto tiles = PlanTiles(g, u);
  ASSERT_EQ(tiles.size(), 7u);  // 6 x 32 + 5
  EXPECT_EQ(tiles[6].rows, (Extent{192, 197}));
  EXPECT_EQ(tiles[6].cols, (Extent{0, 197}));
  EXPECT_EQ(tiles[6].Name(TileLayout::kRows), "r6");
}

TEST(PlanTiles, RequantTilesAreRowsByLanes) {
  NodeGeometry g;
  g.op = g.tile_op = "requant";
  g.layout = TileLayout::kChannels;
  g.rows = 5;
  g.cols = 20;
  UnitTiles u;
  u.requant_lanes = 8;
  const auto tiles = PlanTiles(g, u);
  ASSERT_EQ(tiles.size(), 3u);  // rows 5 (< 8); channels 8, 8, 4
  EXPECT_EQ(tiles[2].cols, (Extent{16, 20}));
  EXPECT_EQ(tiles[2].Name(TileLayout::kChannels), "r0_c2");
}

TEST(PlanTiles, RejectsAZeroLane) {
  UnitTiles u;
  u.gelu_lanes = 0;
  EXPECT_THROW(PlanTiles(GemmGeo(1, 1, 1), u), InputError);
}

TEST(EstimateHexBytes, CountsHexLinesOfTensorsOverTheInlineLimit) {
  // x 5x35 int8: 175 * 3; w 40x35: 1400 * 3; b 40 inline; y 5x40 int32: 200 * 9.
  EXPECT_EQ(EstimateHexBytes(GemmGeo(5, 40, 35), nullptr), 175 * 3 + 1400 * 3 + 200 * 9);
}

// A golden run of the small test model, shared by the value tests.
struct GoldenRun {
  Graph g;
  GoldenTrace trace;
};
const GoldenRun& TinyRun() {
  static const GoldenRun r = [] {
    const ModelConfig c = ModelPreset("vit-tiny-test");
    Graph g = BuildVitGraph(c, RandomModelParams(c, 1));
    GoldenTrace t = RunReference(g, RandomImage(c, 1)).trace;
    return GoldenRun{std::move(g), std::move(t)};
  }();
  return r;
}

int NodeId(const Graph& g, const std::string& name) {
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].name == name) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no node " << name;
  return -1;
}

std::int64_t At(const VectorTensor& t, std::int64_t r, std::int64_t c) {
  return t.values.at(static_cast<std::size_t>(r * t.shape.back() + c));
}

TEST(WholeNodeCase, LinearTakesItsTensorsFromTheTraceAndTheGraph) {
  const GoldenRun& r = TinyRun();
  const int id = NodeId(r.g, "blocks.0.attn.qkv");
  const VectorCase c = WholeNodeCase(r.g, r.trace, id);
  EXPECT_EQ(c.op, "linear");
  const Node& n = r.g.nodes[id];
  EXPECT_EQ(c.inputs.at("x").values, r.trace.Get(n.inputs[0]).ToInt64());
  EXPECT_EQ(c.inputs.at("w").values, r.g.Constant(n.inputs[1]).ToInt64());
  EXPECT_EQ(c.inputs.at("w").shape, (Ints{192, 64}));
  EXPECT_EQ(c.outputs.at("y").values, r.trace.Get(n.output).ToInt64());
  EXPECT_EQ(c.meta["layer"], "blocks.0.attn.qkv");
  EXPECT_EQ(c.meta["kind"], "whole");
}

TEST(WholeNodeCase, AttentionMatmulsSliceTheHeadOutOfQkv) {
  const GoldenRun& r = TinyRun();
  const Tensor& qkv = r.trace.Get(r.g, "blocks.1.attn.qact1");  // [5, 192]: q, k, v of 2 heads
  const VectorCase s = WholeNodeCase(r.g, r.trace, NodeId(r.g, "blocks.1.attn.matmul_1.h1"));
  ASSERT_EQ(s.inputs.at("a").shape, (Ints{5, 32}));
  ASSERT_EQ(s.inputs.at("b").shape, (Ints{32, 5}));
  // a = q_1: qkv columns 32..63; b = k_1^T: b[k][j] = qkv[j][64 + 32 + k].
  EXPECT_EQ(At(s.inputs.at("a"), 3, 7), qkv.ValueAt(3 * 192 + 32 + 7));
  EXPECT_EQ(At(s.inputs.at("b"), 7, 3), qkv.ValueAt(3 * 192 + 96 + 7));
  EXPECT_EQ(s.outputs.at("y").values, r.trace.Get(r.g, "blocks.1.attn.matmul_1.h1").ToInt64());

  const VectorCase x = WholeNodeCase(r.g, r.trace, NodeId(r.g, "blocks.1.attn.matmul_2.h1"));
  EXPECT_EQ(x.inputs.at("a").dtype, DType::kUint16);
  EXPECT_EQ(At(x.inputs.at("b"), 4, 2), qkv.ValueAt(4 * 192 + 128 + 32 + 2));  // v_1
  const Tensor& ctx = r.trace.Get(r.g, "blocks.1.attn.matmul_2");  // [5, 64], both heads
  EXPECT_EQ(At(x.outputs.at("y"), 4, 2), ctx.ValueAt(4 * 64 + 32 + 2));
}

TEST(WholeNodeCase, EveryCuttableNodeOfTheModelPassesTheGoldenOp) {
  const GoldenRun& r = TinyRun();
  int checked = 0;
  for (std::size_t i = 0; i < r.g.nodes.size(); ++i) {
    if (!GeometryOf(r.g, static_cast<int>(i))) continue;
    const VectorCase c = WholeNodeCase(r.g, r.trace, static_cast<int>(i));
    EXPECT_EQ(GoldenBackend().Run(c).at("y").values, c.outputs.at("y").values) << c.source;
    ++checked;
  }
  EXPECT_EQ(checked, 56);  // every node but cls_concat and cls_select
}

TEST(CutTile, LinearTilesAreSlicesAndTheirPartialSumsAddUpToTheWholeOutput) {
  const GoldenRun& r = TinyRun();
  const int id = NodeId(r.g, "head");  // M 1, K 64, N 10: one partial N block
  const VectorCase whole = WholeNodeCase(r.g, r.trace, id);
  const NodeGeometry geo = *GeometryOf(r.g, id);
  UnitTiles u;
  u.array_rows = 24;  // K blocks 24, 24, 16
  u.array_cols = 4;   // N blocks 4, 4, 2
  const auto tiles = PlanTiles(geo, u);
  ASSERT_EQ(tiles.size(), 9u);
  Ints sum(10, 0);
  for (const TileSpec& t : tiles) {
    const VectorCase c = CutTile(whole, geo, t);
    const VectorTensor& x = c.inputs.at("x");
    const VectorTensor& w = c.inputs.at("w");
    ASSERT_EQ(x.shape, (Ints{1, t.depth.size()}));
    ASSERT_EQ(w.shape, (Ints{t.cols.size(), t.depth.size()}));
    EXPECT_EQ(c.inputs.contains("b"), t.depth.begin == 0);
    EXPECT_EQ(At(x, 0, t.depth.size() - 1), At(whole.inputs.at("x"), 0, t.depth.end - 1));
    EXPECT_EQ(At(w, t.cols.size() - 1, 1),
              At(whole.inputs.at("w"), t.cols.end - 1, t.depth.begin + 1));
    EXPECT_EQ(GoldenBackend().Run(c).at("y").values, c.outputs.at("y").values);
    for (std::int64_t n = 0; n < t.cols.size(); ++n)
      sum[t.cols.begin + n] += c.outputs.at("y").values[n];
    EXPECT_EQ(c.meta["kind"], "tile");
    EXPECT_EQ(c.meta["tile"]["depth"], nlohmann::ordered_json::array({t.depth.begin, t.depth.end}));
  }
  EXPECT_EQ(sum, whole.outputs.at("y").values);
}

TEST(CutTile, FullDepthGemmTilesCarryTheTracesOutputSlice) {
  const GoldenRun& r = TinyRun();
  const int id = NodeId(r.g, "blocks.0.attn.matmul_2.h0");  // probs [5, 5] x v [5, 32]
  const VectorCase whole = WholeNodeCase(r.g, r.trace, id);
  const NodeGeometry geo = *GeometryOf(r.g, id);
  const auto tiles = PlanTiles(geo, UnitTiles{});  // K 5 < 16: one depth block; N 16, 16
  ASSERT_EQ(tiles.size(), 2u);
  const VectorCase c = CutTile(whole, geo, tiles[1]);
  EXPECT_EQ(c.inputs.at("a").values, whole.inputs.at("a").values);
  EXPECT_EQ(At(c.inputs.at("b"), 4, 0), At(whole.inputs.at("b"), 4, 16));
  EXPECT_EQ(At(c.outputs.at("y"), 2, 15), At(whole.outputs.at("y"), 2, 31));
  EXPECT_EQ(c.meta["tile"]["y"], "slice of the golden run's output");
}

TEST(CutTile, RequantTilesSliceRowsChannelsAndPerChannelParams) {
  const GoldenRun& r = TinyRun();
  const int id = NodeId(r.g, "blocks.0.qact2");  // residual requant, [5, 64]
  VectorCase whole = WholeNodeCase(r.g, r.trace, id);
  ASSERT_TRUE(whole.inputs.contains("res"));
  // Random models requantize per tensor; make the main branch per channel (m[c] = m + c) so the
  // slicing shows, with y from the golden op.
  const std::int64_t m0 = std::get<std::int64_t>(whole.params.at("m"));
  Ints per_channel(64);
  for (std::int64_t ch = 0; ch < 64; ++ch) per_channel[ch] = m0 + ch;
  whole.params["m"] = per_channel;
  whole.outputs = GoldenBackend().Run(whole);
  const NodeGeometry geo = *GeometryOf(r.g, id);
  UnitTiles u;
  u.requant_lanes = 24;  // channels 24, 24, 16; rows 5
  const auto tiles = PlanTiles(geo, u);
  ASSERT_EQ(tiles.size(), 3u);
  const VectorCase c = CutTile(whole, geo, tiles[2]);
  EXPECT_EQ(c.inputs.at("x").shape, (Ints{5, 16}));
  EXPECT_EQ(At(c.inputs.at("res"), 4, 15), At(whole.inputs.at("res"), 4, 63));
  EXPECT_EQ(std::get<Ints>(c.params.at("m")), Ints(per_channel.begin() + 48, per_channel.end()));
  EXPECT_EQ(c.params.at("e"), whole.params.at("e"));  // a scalar stays a scalar
  EXPECT_EQ(At(c.outputs.at("y"), 1, 3), At(whole.outputs.at("y"), 1, 51));
  EXPECT_EQ(GoldenBackend().Run(c).at("y").values, c.outputs.at("y").values);
}

TEST(CutTile, ConvPatchTilesAreLinearsOverTheIm2colMatrix) {
  const GoldenRun& r = TinyRun();
  const int id = NodeId(r.g, "patch_embed.proj");
  const VectorCase whole = WholeNodeCase(r.g, r.trace, id);
  EXPECT_EQ(whole.op, "conv_patch");
  EXPECT_EQ(whole.inputs.at("w").shape, (Ints{64, 3, 16, 16}));
  const VectorCase src = TileSourceCase(whole);
  EXPECT_EQ(src.op, "linear");
  const ConvPatchShape s{3, 32, 32, 16, 64};
  const std::vector<std::int8_t> image(whole.inputs.at("x").values.begin(),
                                       whole.inputs.at("x").values.end());
  const auto cols = Im2colPatches(s, image);
  EXPECT_EQ(src.inputs.at("x").values, Ints(cols.begin(), cols.end()));
  EXPECT_EQ(src.inputs.at("x").shape, (Ints{4, 768}));
  const NodeGeometry geo = *GeometryOf(r.g, id);
  const auto tiles = PlanTiles(geo, UnitTiles{});
  EXPECT_EQ(tiles.size(), 4u * 48u);
  for (std::size_t i : {std::size_t{0}, std::size_t{47}, tiles.size() - 1}) {
    const VectorCase c = CutTile(src, geo, tiles[i]);
    EXPECT_EQ(GoldenBackend().Run(c).at("y").values, c.outputs.at("y").values) << i;
  }
}

TEST(CutTile, EveryTileOfTheModelPassesTheGoldenOp) {
  const GoldenRun& r = TinyRun();
  UnitTiles u;
  u.array_rows = 12;  // partial K and N folds everywhere (64, 192, 256, 768, 5 and 10)
  u.array_cols = 24;
  u.requant_lanes = 24;
  u.layernorm_lanes = 2;
  u.shiftmax_lanes = 3;
  u.gelu_lanes = 4;
  std::int64_t n = 0;
  for (std::size_t i = 0; i < r.g.nodes.size(); ++i) {
    const auto geo = GeometryOf(r.g, static_cast<int>(i));
    if (!geo) continue;
    const VectorCase src = TileSourceCase(WholeNodeCase(r.g, r.trace, static_cast<int>(i)));
    for (const TileSpec& t : PlanTiles(*geo, u)) {
      const VectorCase c = CutTile(src, *geo, t);
      ASSERT_EQ(GoldenBackend().Run(c).at("y").values, c.outputs.at("y").values) << c.source;
      ++n;
    }
  }
  EXPECT_GT(n, 500);
}

}  // namespace
}  // namespace intvit::model
