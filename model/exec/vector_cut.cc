// The value half of cutting: whole-node cases from the golden trace, and tiles sliced from them.
#include "model/exec/vector_cut.h"

#include <stdexcept>

#include "model/exec/op_case.h"
#include "model/ops/conv_patch.h"

namespace intvit::model {
namespace {

using Json = nlohmann::ordered_json;

const Tensor& Operand(const Graph& g, const GoldenTrace& trace, int id) {
  if (g.tensors.at(id).is_constant) return g.Constant(id);
  if (!trace.Has(id)) {
    throw std::logic_error("the golden trace lacks tensor " + g.tensors.at(id).name +
                           " (run with keep_trace)");
  }
  return trace.Get(id);
}

VectorTensor FromTensor(const Tensor& t) { return {t.dtype(), t.shape(), t.ToInt64()}; }

// Columns [col0, col0 + width) of a [rows, cols] tensor, as a [rows, width] tensor.
VectorTensor Columns(const VectorTensor& t, std::int64_t col0, std::int64_t width) {
  const std::int64_t cols = t.shape.back(), rows = VectorNumElements(t.shape) / cols;
  VectorTensor out{t.dtype, {rows, width}, {}};
  out.values.reserve(static_cast<std::size_t>(rows * width));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < width; ++c) out.values.push_back(t.values[r * cols + col0 + c]);
  }
  return out;
}

VectorTensor Transposed(const VectorTensor& t) {
  const std::int64_t rows = t.shape.at(0), cols = t.shape.at(1);
  VectorTensor out{t.dtype, {cols, rows}, std::vector<std::int64_t>(t.values.size())};
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) out.values[c * rows + r] = t.values[r * cols + c];
  }
  return out;
}

// Rows and columns of a [.., cols] tensor seen as [rows, cols].
VectorTensor Slice(const VectorTensor& t, Extent rows, Extent cols) {
  const std::int64_t width = t.shape.back();
  VectorTensor out{t.dtype, {rows.size(), cols.size()}, {}};
  out.values.reserve(static_cast<std::size_t>(rows.size() * cols.size()));
  for (std::int64_t r = rows.begin; r < rows.end; ++r) {
    for (std::int64_t c = cols.begin; c < cols.end; ++c)
      out.values.push_back(t.values[r * width + c]);
  }
  return out;
}

ParamValue Multipliers(const std::vector<Dyadic>& d, bool want_m) {
  std::vector<std::int64_t> v;
  for (const Dyadic& x : d) v.push_back(want_m ? x.m : std::int64_t{x.e});
  if (v.size() == 1) return v[0];
  return v;
}

// A per-channel list param restricted to `cols`; a scalar stays as it is.
ParamValue SliceParam(const ParamValue& p, Extent cols) {
  if (!std::holds_alternative<std::vector<std::int64_t>>(p)) return p;
  const auto& v = std::get<std::vector<std::int64_t>>(p);
  if (v.size() == 1) return p;
  return std::vector<std::int64_t>(v.begin() + cols.begin, v.begin() + cols.end);
}

// shiftgelu leaves the graph as int32; the case carries v1's natural int16 when every value
// fits, as `op run` would write it.
DType GeluOutputDType(const VectorTensor& y) {
  for (std::int64_t v : y.values) {
    if (!FitsDType(v, DType::kInt16)) return DType::kInt32;
  }
  return DType::kInt16;
}

Json ExtentJson(Extent e) { return Json::array({e.begin, e.end}); }

}  // namespace

VectorCase WholeNodeCase(const Graph& g, const GoldenTrace& trace, int node) {
  const Node& n = g.nodes.at(node);
  const std::optional<NodeGeometry> geo = GeometryOf(g, node);
  if (!geo) throw std::logic_error("node " + n.name + " has no intvit-vector-v1 op");
  const ModelConfig& cfg = g.config;
  const std::int64_t C = cfg.embed_dim, d = cfg.head_dim();
  VectorCase c;
  c.op = geo->op;
  c.source = n.name;
  auto in = [&](std::size_t i) { return FromTensor(Operand(g, trace, n.inputs.at(i))); };
  VectorTensor y = FromTensor(Operand(g, trace, n.output));
  switch (n.kind) {
    case OpKind::kConvPatch: {
      const std::int64_t P = cfg.patch_size;
      c.params["patch"] = P;
      c.inputs["x"] = in(0);
      VectorTensor w = in(1);
      w.shape = {w.shape.at(0), cfg.in_channels, P, P};
      c.inputs["w"] = std::move(w);
      c.inputs["b"] = in(2);
      break;
    }
    case OpKind::kLinear:
      c.inputs["x"] = in(0);
      c.inputs["w"] = in(1);
      c.inputs["b"] = in(2);
      break;
    case OpKind::kAttnScores: {
      const VectorTensor qkv = in(0);
      c.inputs["a"] = Columns(qkv, n.head * d, d);
      c.inputs["b"] = Transposed(Columns(qkv, C + n.head * d, d));
      break;
    }
    case OpKind::kAttnContext:
      c.inputs["a"] = in(0);
      c.inputs["b"] = Columns(in(1), 2 * C + n.head * d, d);
      y = Columns(y, n.head * d, d);  // the head's columns of the shared context tensor
      break;
    case OpKind::kRequant: {
      const RequantParams& p = g.params.requants.at(n.params_key);
      c.params["m"] = Multipliers(p.mult, true);
      c.params["e"] = Multipliers(p.mult, false);
      if (p.HasResidual()) {
        c.params["m_res"] = Multipliers(p.mult_res, true);
        c.params["e_res"] = Multipliers(p.mult_res, false);
        c.inputs["res"] = in(1);
      }
      c.params["out_bits"] = std::int64_t{p.out_bits};
      c.params["rounding"] = std::string(RoundingName(p.rounding));
      c.inputs["x"] = in(0);
      break;
    }
    case OpKind::kShiftmax: {
      const ShiftmaxParams& p = g.params.shiftmaxes.at(n.params_key);
      c.params = {{"x0", p.x0},
                  {"n", std::int64_t{p.n}},
                  {"out_bits", std::int64_t{p.out_bits}},
                  {"div", p.div}};
      c.inputs["x"] = in(0);
      break;
    }
    case OpKind::kShiftGelu: {
      const ShiftGeluParams& p = g.params.gelus.at(n.params_key);
      c.params = {{"x0", p.x0},
                  {"n", std::int64_t{p.n}},
                  {"out_bits", std::int64_t{p.out_bits}},
                  {"div", p.div}};
      c.inputs["x"] = in(0);
      y.dtype = GeluOutputDType(y);
      break;
    }
    case OpKind::kLayerNorm: {
      const LayerNormParams& p = g.params.layernorms.at(n.params_key);
      c.params = {{"bias_int", p.bias_int},
                  {"sqrt_iters", std::int64_t{p.sqrt_iters}},
                  {"sqrt_init", p.sqrt_init},
                  {"div", p.div}};
      c.inputs["x"] = in(0);
      break;
    }
    case OpKind::kConcatCls:
    case OpKind::kTakeClsRow:
      break;  // GeometryOf excluded them
  }
  c.outputs["y"] = std::move(y);
  c.meta["layer"] = n.name;
  c.meta["node_op"] = std::string(OpKindName(n.kind));
  c.meta["kind"] = "whole";
  return c;
}

VectorCase TileSourceCase(const VectorCase& whole) {
  if (whole.op != "conv_patch") return whole;
  const VectorTensor& x = whole.inputs.at("x");
  const VectorTensor& w = whole.inputs.at("w");
  const ConvPatchShape s{x.shape.at(0), x.shape.at(1), x.shape.at(2), w.shape.at(2), w.shape.at(0)};
  const std::vector<std::int8_t> image(x.values.begin(), x.values.end());
  const std::vector<std::int8_t> cols = Im2colPatches(s, image);
  VectorCase c = whole;
  c.op = "linear";
  c.params.clear();
  c.inputs["x"] = VectorTensor{DType::kInt8,
                               {s.NumPatches(), s.PatchSize()},
                               std::vector<std::int64_t>(cols.begin(), cols.end())};
  c.inputs["w"].shape = {s.out_channels, s.PatchSize()};
  c.meta["tile_source"] = "linear over the im2col matrix of the conv_patch (what the array runs)";
  return c;
}

VectorCase CutTile(const VectorCase& source, const NodeGeometry& geo, const TileSpec& t) {
  VectorCase c;
  c.op = source.op;
  c.source = source.source + " tile " + t.Name(geo.layout);
  c.params = source.params;
  c.meta = source.meta;
  const VectorTensor& y = source.outputs.at("y");
  bool partial = false;
  if (geo.layout == TileLayout::kGemm) {
    partial = t.depth != Extent{0, geo.depth};
    if (c.op == "matmul") {
      c.inputs["a"] = Slice(source.inputs.at("a"), t.rows, t.depth);
      c.inputs["b"] = Slice(source.inputs.at("b"), t.depth, t.cols);
    } else {
      c.inputs["x"] = Slice(source.inputs.at("x"), t.rows, t.depth);
      c.inputs["w"] = Slice(source.inputs.at("w"), t.cols, t.depth);
      auto b = source.inputs.find("b");
      if (b != source.inputs.end() && t.depth.begin == 0) {
        c.inputs["b"] = Slice(b->second, {0, 1}, t.cols);
        c.inputs["b"].shape = {t.cols.size()};
      }
    }
  } else {
    for (const auto& [name, tensor] : source.inputs) c.inputs[name] = Slice(tensor, t.rows, t.cols);
    if (geo.layout == TileLayout::kChannels) {
      for (auto& [name, value] : c.params) value = SliceParam(value, t.cols);
    }
  }
  if (partial) {
    // A partial sum is not in the trace: the golden op computes it from the sliced inputs.
    c.outputs = WithOutputs(c, PlanCase(c), GoldenBackend().Run(c)).outputs;
  } else {
    c.outputs["y"] = Slice(y, t.rows, t.cols);
  }
  Json tile = Json::object();
  tile["name"] = t.Name(geo.layout);
  tile["rows"] = ExtentJson(t.rows);
  tile["cols"] = ExtentJson(t.cols);
  if (geo.layout == TileLayout::kGemm) {
    tile["depth"] = ExtentJson(t.depth);
    tile["block"] = Json::array({t.row_block, t.col_block, t.depth_block});
    const bool bias = c.op == "linear" && c.inputs.contains("b");
    tile["y"] = partial ? std::string("partial sum over depth") + (bias ? " plus the bias" : "") +
                              ", computed from the sliced inputs"
                        : "slice of the golden run's output";
  } else {
    tile["block"] = geo.layout == TileLayout::kRows ? Json::array({t.row_block})
                                                    : Json::array({t.row_block, t.col_block});
    tile["y"] = "slice of the golden run's output";
  }
  c.meta["kind"] = "tile";
  c.meta["tile"] = tile;
  return c;
}

}  // namespace intvit::model
