// Cutting intvit-vector-v1 cases out of a golden run: one case per graph node holding the whole
// op (inputs from the GoldenTrace, constants and params from the Graph, the expected output
// from the trace), and tile cases shaped for the accelerator's units, sliced from it.
// `intvit vectors` (tools/cmd_vectors.cc) drives this; docs/vectors.md §Cutting cases from a
// model describes the cases and their files.
//
// Tiles, per unit (UnitTiles holds the geometry; the CLI takes it from the ArchConfig):
//   - GEMMs (linear, matmul, and conv_patch as a linear over its im2col matrix, which is what
//     the array computes): one fold of the systolic array, a weight tile of K = array_rows by
//     N = array_cols, against every row of A (or `tile_rows` rows). A tile whose K range is
//     not all of K holds a partial sum; the bias rides on the first K block only, as in the
//     array (docs/rtl.md).
//   - requant: `tile_rows` rows (default: the unit's lanes) by `lanes` channels, the channels of
//     one beat; per-channel (m, e) are sliced with them.
//   - shiftmax, shiftgelu, layernorm: blocks of `tile_rows` whole rows (default: the unit's
//     lanes); a row never splits, as these ops need the whole row.
// The last block of every axis is whatever remains (partial edge tiles).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/exec/run_reference.h"
#include "model/graph/graph.h"
#include "model/io/vector_case.h"

namespace intvit::model {

// The unit geometry tiles are shaped for. Every value must be at least 1 (tile_rows: 0 is the
// default described above).
struct UnitTiles {
  std::int64_t array_rows = 16;  // K of one GEMM fold
  std::int64_t array_cols = 16;  // N of one GEMM fold
  std::int64_t requant_lanes = 16;
  std::int64_t shiftmax_lanes = 16;
  std::int64_t gelu_lanes = 16;
  std::int64_t layernorm_lanes = 16;
  std::int64_t tile_rows = 0;  // rows per tile; 0: all M rows for GEMMs, `lanes` for the others
};

// A half-open index range [begin, end).
struct Extent {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t size() const { return end - begin; }
  friend bool operator==(const Extent&, const Extent&) = default;
};

// How the tiles of an op are laid out.
enum class TileLayout {
  kGemm,      // rows = M, cols = N, depth = K
  kChannels,  // requant: rows, cols = channels
  kRows,      // row-wise ops: rows; cols is always the whole row
};

// One graph node seen as an intvit-vector-v1 op, without its values: enough to plan tiles and
// estimate bytes before the golden run.
struct NodeGeometry {
  int node = -1;        // index into Graph::nodes
  std::string op;       // op of the whole case ("conv_patch", "matmul", ...)
  std::string tile_op;  // op of its tiles ("linear" for conv_patch)
  TileLayout layout = TileLayout::kRows;
  std::int64_t rows = 0;   // M, or the rows of a row-wise op
  std::int64_t cols = 0;   // N, or the channels / row length
  std::int64_t depth = 0;  // K (GEMMs only)
  std::int64_t lanes = 0;  // the vector unit's lanes (0 for GEMMs)
  // dtype of every tensor of the tile case, by name ("x", "w", "b", "y", ...).
  std::map<std::string, DType> dtypes;
};

// The geometry of `g.nodes[node]`, or nullopt for a node with no v1 op (cls_concat and
// cls_select only move data).
std::optional<NodeGeometry> GeometryOf(const Graph& g, int node);

// One tile: its block coordinates and the index ranges it covers.
struct TileSpec {
  std::int64_t row_block = 0, col_block = 0, depth_block = 0;
  Extent rows, cols, depth;  // depth is empty for non-GEMM layouts
  // "m0_n3_k11" (GEMM), "r0_c5" (requant), "r2" (row-wise).
  std::string Name(TileLayout layout) const;
};

// Every tile of the node, in row-block, column-block, depth-block order (depth innermost, the
// order the array folds in). Throws InputError when a UnitTiles value is below 1.
std::vector<TileSpec> PlanTiles(const NodeGeometry& geo, const UnitTiles& units);

// The bytes the hex files of a case would take: tensors over WriteOptions::inline_limit
// values, one line of HexDigits + 1 characters per value. tile == nullptr: the whole case.
std::int64_t EstimateHexBytes(const NodeGeometry& geo, const TileSpec* tile);

// The whole op of the node. Inputs come from the trace (constants from the graph), params from
// the graph's ModelParams, the output `y` from the trace: the bits the golden run produced.
// meta gets "layer", "node_op" and "kind": "whole". Throws std::logic_error if the trace lacks
// a tensor the node reads or writes (run with keep_trace).
VectorCase WholeNodeCase(const Graph& g, const GoldenTrace& trace, int node);

// The case tiles are cut from: `whole` itself, except conv_patch, which becomes the linear
// over its im2col matrix [patches, Cin*P*P] with w reshaped to [Cout, Cin*P*P].
VectorCase TileSourceCase(const VectorCase& whole);

// One tile of `source` (a TileSourceCase). Inputs, per-channel params and, when the tile covers
// all of K, the output are slices of `source`; a tile over part of K gets its partial sum from
// the golden op on the sliced inputs. meta gets "kind": "tile" and "tile": {"name", "rows",
// "cols", "depth" (GEMM only) as [begin, end], "block": [..]}.
VectorCase CutTile(const VectorCase& source, const NodeGeometry& geo, const TileSpec& tile);

}  // namespace intvit::model
