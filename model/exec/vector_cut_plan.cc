// The value-free half of cutting: which op a node is, its tiles and their sizes.
#include <algorithm>
#include <string>

#include "model/common/error.h"
#include "model/exec/vector_cut.h"
#include "model/io/hex_file.h"

namespace intvit::model {
namespace {

// Blocks of `step` over [0, size); the last one is what remains. An empty axis has no block.
std::vector<Extent> Blocks(std::int64_t size, std::int64_t step) {
  std::vector<Extent> out;
  for (std::int64_t b = 0; b < size; b += step) out.push_back({b, std::min(size, b + step)});
  return out;
}

DType TensorDType(const Graph& g, int id) { return g.tensors.at(id).dtype; }

NodeGeometry Gemm(int node, const char* op, const char* tile_op, std::int64_t m, std::int64_t n,
                  std::int64_t k, std::map<std::string, DType> dtypes) {
  NodeGeometry geo;
  geo.node = node;
  geo.op = op;
  geo.tile_op = tile_op;
  geo.layout = TileLayout::kGemm;
  geo.rows = m;
  geo.cols = n;
  geo.depth = k;
  geo.dtypes = std::move(dtypes);
  return geo;
}

NodeGeometry Vector(int node, const char* op, TileLayout layout, const TensorInfo& x,
                    std::int64_t lanes, std::map<std::string, DType> dtypes) {
  NodeGeometry geo;
  geo.node = node;
  geo.op = op;
  geo.tile_op = op;
  geo.layout = layout;
  geo.cols = x.shape.back();
  geo.rows = NumElements(x.shape) / geo.cols;
  geo.lanes = lanes;
  geo.dtypes = std::move(dtypes);
  return geo;
}

}  // namespace

std::optional<NodeGeometry> GeometryOf(const Graph& g, int node) {
  const Node& n = g.nodes.at(node);
  const Graph::GemmDims d = g.Dims(n);
  const DType i8 = DType::kInt8, i32 = DType::kInt32;
  switch (n.kind) {
    case OpKind::kConvPatch:
      return Gemm(node, "conv_patch", "linear", d.m, d.n, d.k,
                  {{"x", i8}, {"w", i8}, {"b", i32}, {"y", i32}});
    case OpKind::kLinear:
      return Gemm(node, "linear", "linear", d.m, d.n, d.k,
                  {{"x", i8}, {"w", i8}, {"b", i32}, {"y", i32}});
    case OpKind::kAttnScores:
      return Gemm(node, "matmul", "matmul", d.m, d.n, d.k, {{"a", i8}, {"b", i8}, {"y", i32}});
    case OpKind::kAttnContext:
      return Gemm(node, "matmul", "matmul", d.m, d.n, d.k,
                  {{"a", TensorDType(g, n.inputs.at(0))}, {"b", i8}, {"y", i32}});
    case OpKind::kRequant: {
      std::map<std::string, DType> dt = {{"x", TensorDType(g, n.inputs.at(0))},
                                         {"y", TensorDType(g, n.output)}};
      if (n.inputs.size() > 1) dt["res"] = TensorDType(g, n.inputs[1]);
      return Vector(node, "requant", TileLayout::kChannels, g.tensors.at(n.inputs[0]), 0,
                    std::move(dt));
    }
    case OpKind::kShiftmax:
      return Vector(node, "shiftmax", TileLayout::kRows, g.tensors.at(n.inputs.at(0)), 0,
                    {{"x", i8}, {"y", DType::kUint16}});
    case OpKind::kShiftGelu:
      return Vector(node, "shiftgelu", TileLayout::kRows, g.tensors.at(n.inputs.at(0)), 0,
                    {{"x", i8}, {"y", i32}});
    case OpKind::kLayerNorm:
      return Vector(node, "layernorm", TileLayout::kRows, g.tensors.at(n.inputs.at(0)), 0,
                    {{"x", DType::kInt16}, {"y", DType::kInt64}});
    case OpKind::kConcatCls:
    case OpKind::kTakeClsRow:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string TileSpec::Name(TileLayout layout) const {
  const auto s = [](std::int64_t v) { return std::to_string(v); };
  switch (layout) {
    case TileLayout::kGemm:
      return "m" + s(row_block) + "_n" + s(col_block) + "_k" + s(depth_block);
    case TileLayout::kChannels:
      return "r" + s(row_block) + "_c" + s(col_block);
    case TileLayout::kRows:
      return "r" + s(row_block);
  }
  return "?";
}

std::vector<TileSpec> PlanTiles(const NodeGeometry& geo, const UnitTiles& u) {
  Require(u.array_rows >= 1 && u.array_cols >= 1 && u.requant_lanes >= 1 && u.shiftmax_lanes >= 1 &&
              u.gelu_lanes >= 1 && u.layernorm_lanes >= 1 && u.tile_rows >= 0,
          "tile geometry: array rows/cols and unit lanes must be at least 1, tile rows at "
          "least 0");
  std::int64_t lanes = u.requant_lanes;
  if (geo.op == "shiftmax") lanes = u.shiftmax_lanes;
  if (geo.op == "shiftgelu") lanes = u.gelu_lanes;
  if (geo.op == "layernorm") lanes = u.layernorm_lanes;
  std::vector<Extent> rows, cols, depth = {Extent{0, 0}};
  switch (geo.layout) {
    case TileLayout::kGemm:
      rows = Blocks(geo.rows, u.tile_rows > 0 ? u.tile_rows : std::max<std::int64_t>(geo.rows, 1));
      cols = Blocks(geo.cols, u.array_cols);
      depth = Blocks(geo.depth, u.array_rows);
      break;
    case TileLayout::kChannels:
      rows = Blocks(geo.rows, u.tile_rows > 0 ? u.tile_rows : lanes);
      cols = Blocks(geo.cols, lanes);
      break;
    case TileLayout::kRows:
      rows = Blocks(geo.rows, u.tile_rows > 0 ? u.tile_rows : lanes);
      cols = {Extent{0, geo.cols}};
      break;
  }
  std::vector<TileSpec> out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      for (std::size_t k = 0; k < depth.size(); ++k) {
        TileSpec t;
        t.row_block = static_cast<std::int64_t>(r);
        t.col_block = static_cast<std::int64_t>(c);
        t.depth_block = static_cast<std::int64_t>(k);
        t.rows = rows[r];
        t.cols = cols[c];
        t.depth = depth[k];
        out.push_back(t);
      }
    }
  }
  return out;
}

std::int64_t EstimateHexBytes(const NodeGeometry& geo, const TileSpec* tile) {
  const std::int64_t m = tile ? tile->rows.size() : geo.rows;
  const std::int64_t n = tile ? tile->cols.size() : geo.cols;
  const std::int64_t k = tile ? tile->depth.size() : geo.depth;
  std::map<std::string, std::int64_t> counts;
  if (geo.layout == TileLayout::kGemm) {
    const bool lin = (tile ? geo.tile_op : geo.op) != "matmul";
    counts[lin ? "x" : "a"] = m * k;
    counts[lin ? "w" : "b"] = n * k;
    if (lin && (tile == nullptr || tile->depth.begin == 0)) counts["b"] = n;
    counts["y"] = m * n;
  } else {
    counts["x"] = m * n;
    if (geo.dtypes.contains("res")) counts["res"] = m * n;
    counts["y"] = m * n;
  }
  const std::int64_t inline_limit = WriteOptions{}.inline_limit;
  std::int64_t bytes = 0;
  for (const auto& [name, count] : counts) {
    auto it = geo.dtypes.find(name);
    if (it == geo.dtypes.end() || count <= inline_limit) continue;
    bytes += count * (HexDigits(it->second) + 1);
  }
  return bytes;
}

}  // namespace intvit::model
