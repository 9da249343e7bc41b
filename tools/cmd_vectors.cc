// `intvit vectors`: cut intvit-vector-v1 cases from a golden run of a model, whole ops per layer
// and tiles shaped for the accelerator's units, for RTL testbenches. The cutting itself is
// model/exec/vector_cut.h; this file selects, plans, guards the output size, stamps provenance
// and writes. docs/vectors.md §Cutting cases from a model.
//
// Exit codes: 0 written (or listed); 2 a usage error, an unknown layer/op/arch, an output over
// --max-cases/--max-mb, or an unwritable output directory (nothing is written then).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "compiler/arch_config.h"
#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "model/exec/vector_cut.h"
#include "model/exec/vector_select.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"
#include "tools/input_image.h"
#include "tools/model_source.h"
#include "tools/stopwatch.h"
#include "tools/vector_index.h"

namespace intvit::tools {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// The --op values as v1 op names; empty for "all".
std::set<std::string> ParseOps(const std::vector<std::string>& ops) {
  std::set<std::string> out;
  std::string known;
  for (const model::OpSpec& s : model::AllOpSpecs()) known += std::string(s.name) + ", ";
  for (const std::string& op : ops) {
    if (op == "all") return {};
    Require(op != "add",
            "--op add: add is not an intvit-vector-v1 op; the graph's residual adds are requant "
            "nodes with a res input (--op requant)");
    Require(model::FindOpSpec(op) != nullptr,
            "--op " + op + ": unknown op (known: " + known + "all)");
    out.insert(std::string(model::FindOpSpec(op)->name));  // gelu -> shiftgelu
  }
  return out;
}

model::UnitTiles UnitsOf(const compiler::ArchConfig& a, std::int64_t tile_rows) {
  return {a.array_rows, a.array_cols,      a.requant.lanes, a.shiftmax.lanes,
          a.gelu.lanes, a.layernorm.lanes, tile_rows};
}

// A manifest with its provenance takes about this many bytes (1.2 kB measured on DeiT-Tiny's
// tiles; per-channel params make some longer).
constexpr std::int64_t kManifestBytes = 1500;

// One case to write: a node, and a tile of it or (tile empty) its whole op.
struct PlannedCase {
  std::size_t geo = 0;  // index into Plan::nodes
  std::optional<model::TileSpec> tile;
};

struct Plan {
  std::vector<model::NodeGeometry> nodes;
  std::vector<PlannedCase> cases;
  std::int64_t whole = 0, tiles = 0;
  std::int64_t bytes = 0;  // estimated: hex files exactly, manifests as kManifestBytes each
};

Plan MakePlan(const model::Graph& g, const std::vector<int>& nodes, const model::UnitTiles& u,
              bool whole, bool tiles) {
  Plan p;
  for (int id : nodes) {
    p.nodes.push_back(*model::GeometryOf(g, id));
    const model::NodeGeometry& geo = p.nodes.back();
    const std::size_t gi = p.nodes.size() - 1;
    if (whole) {
      p.cases.push_back({gi, std::nullopt});
      p.bytes += model::EstimateHexBytes(geo, nullptr) + kManifestBytes;
      ++p.whole;
    }
    if (!tiles) continue;
    for (const model::TileSpec& t : model::PlanTiles(geo, u)) {
      p.cases.push_back({gi, t});
      p.bytes += model::EstimateHexBytes(geo, &t) + kManifestBytes;
      ++p.tiles;
    }
  }
  return p;
}

// "12.3 MB", or "45.6 kB" below a megabyte.
std::string Mb(std::int64_t bytes) {
  std::ostringstream s;
  const bool small = bytes < 1000000;
  s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (small ? 1e3 : 1e6)
    << (small ? " kB" : " MB");
  return s.str();
}

// "1 tile", "3 tiles".
std::string Count(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void PrintList(const model::Graph& g, const Plan& p, const model::UnitTiles& u) {
  std::cout << "node                                 op          shape              tiles  size\n";
  for (const model::NodeGeometry& geo : p.nodes) {
    std::ostringstream shape;
    if (geo.layout == model::TileLayout::kGemm) {
      shape << geo.rows << "x" << geo.depth << "x" << geo.cols << " (MxKxN)";
    } else {
      shape << geo.rows << "x" << geo.cols;
    }
    const auto tiles = model::PlanTiles(geo, u);
    std::int64_t bytes = model::EstimateHexBytes(geo, nullptr) + kManifestBytes;
    for (const auto& t : tiles) bytes += model::EstimateHexBytes(geo, &t) + kManifestBytes;
    std::cout << std::left << std::setw(37) << g.nodes[geo.node].name << std::setw(12) << geo.op
              << std::setw(19) << shape.str() << std::right << std::setw(5) << tiles.size() << "  "
              << Mb(bytes) << "\n";
  }
  std::cout << Count(static_cast<std::int64_t>(p.nodes.size()), "node") << ": " << p.whole
            << " whole, " << Count(p.tiles, "tile") << ", about " << Mb(p.bytes) << " on disk\n";
}


model::TensorMap ShapesOf(const model::VectorCase& c) {
  model::TensorMap m;
  for (const model::TensorMap* src : {&c.inputs, &c.outputs}) {
    for (const auto& [name, t] : *src) m[name] = {t.dtype, t.shape, {}};
  }
  return m;
}

}  // namespace

int RunVectors(const VectorsArgs& a) {
  Require(!(a.whole_only && a.tiles_only),
          "--whole and --tiles exclude each other; give neither for both");
  const std::set<std::string> ops = ParseOps(a.ops);
  const compiler::ArchConfig arch = compiler::LoadArchConfig(a.arch, a.overrides);
  const model::UnitTiles units = UnitsOf(arch, a.tile_rows);
  const LoadedModel m = LoadModelArg(a.model);
  const model::Graph& g = m.graph;
  std::vector<int> nodes;
  try {
    model::SelectNodes(g, a.layers, {});
  } catch (const InputError& e) {
    throw InputError(std::string("--layer: ") + e.what());
  }
  try {
    nodes = model::SelectNodes(g, a.layers, ops);
  } catch (const InputError& e) {
    throw InputError(std::string("--op: ") + e.what());
  }
  const Plan plan = MakePlan(g, nodes, units, !a.tiles_only, !a.whole_only);
  if (a.list) {
    PrintList(g, plan, units);
    return 0;
  }
  Require(!a.out_dir.empty(), "-o DIR is required (or --list to see what would be cut)");
  const std::int64_t cases = static_cast<std::int64_t>(plan.cases.size());
  const std::string size = Count(cases, "case") + " (" + std::to_string(plan.whole) + " whole, " +
                           Count(plan.tiles, "tile") + "), about " + Mb(plan.bytes) + " on disk";
  Require(a.max_cases == 0 || cases <= a.max_cases,
          "this selection would write " + size + ", over --max-cases " +
              std::to_string(a.max_cases) +
              "; narrow --layer or --op, pick --whole or --tiles, or raise --max-cases (0: no "
              "limit). --list shows the count per node");
  Require(a.max_mb == 0 || (plan.bytes + 999999) / 1000000 <= a.max_mb,  // no overflow
          "this selection would write " + size + ", over --max-mb " + std::to_string(a.max_mb) +
              "; narrow --layer or --op, pick --whole or --tiles, or raise --max-mb (0: no "
              "limit). --list shows the size per node");
  const fs::path out(a.out_dir);
  PrepareOutputDir(a.out_dir, "-o");

  const InputImage image = LoadInputImage(g, a.image, a.image_seed);
  Json prov = ModelProvenance(a.model);
  prov["image"] = image.what;
  if (a.image.empty()) prov["image_seed"] = a.image_seed;
  prov["arch"] = arch.name;
  prov["unit_tiles"] = {{"array", {units.array_rows, units.array_cols}},
                        {"lanes",
                         {{"requant", units.requant_lanes},
                          {"shiftmax", units.shiftmax_lanes},
                          {"gelu", units.gelu_lanes},
                          {"layernorm", units.layernorm_lanes}}},
                        {"tile_rows", units.tile_rows}};
  if (!a.quiet) {
    std::cout << "model " << m.name << "; " << image.what << "; arch " << arch.name << " (array "
              << units.array_rows << "x" << units.array_cols << ")\n"
              << "cutting " << size << " from "
              << Count(static_cast<std::int64_t>(plan.nodes.size()), "node") << " into "
              << out.generic_string() << "\n";
  }
  Stopwatch sw;
  const model::RunResult run = model::RunReference(g, image.tensor);
  const bool progress = !a.quiet && isatty(2);
  std::vector<IndexEntry> index;
  std::size_t done = 0;
  for (std::size_t gi = 0; gi < plan.nodes.size(); ++gi) {
    const model::NodeGeometry& geo = plan.nodes[gi];
    const model::VectorCase whole = model::WholeNodeCase(g, run.trace, geo.node);
    const model::VectorCase source = model::TileSourceCase(whole);
    for (const PlannedCase& pc : plan.cases) {
      if (pc.geo != gi) continue;
      model::VectorCase c = pc.tile ? model::CutTile(source, geo, *pc.tile) : whole;
      const std::string rel =
          whole.source + "/" + (pc.tile ? "tiles/" + pc.tile->Name(geo.layout) : "whole");
      Json meta = Json::object();
      meta["source"] = m.name + ", " + image.what + ": " + whole.source +
                       (pc.tile ? " tile " + pc.tile->Name(geo.layout) : " (whole op)");
      for (const auto& [k, v] : prov.items()) meta[k] = v;
      for (const auto& [k, v] : c.meta.items()) meta[k] = v;
      c.meta = meta;
      model::WriteVectorCase(c, out / rel);
      index.push_back({rel, whole.source, c.meta["node_op"].get<std::string>(), c.op,
                       pc.tile ? "tile" : "whole", pc.tile ? c.meta["tile"] : Json(), ShapesOf(c)});
      ++done;
      if (progress && (done % 64 == 0 || done == plan.cases.size())) {
        std::cerr << "\rvectors: " << done << "/" << plan.cases.size() << " cases"
                  << (done == plan.cases.size() ? "\n" : "") << std::flush;
      }
    }
  }
  WriteVectorIndex(out, prov, index);
  if (!a.quiet) {
    std::cout << "wrote " << Count(static_cast<std::int64_t>(index.size()), "case") << " ("
              << plan.whole << " whole, " << Count(plan.tiles, "tile") << ") in " << std::fixed
              << std::setprecision(2) << sw.WallMs() / 1000
              << " s; index: " << (out / "index.json").generic_string() << ", "
              << (out / "index.csv").generic_string() << "\n";
  }
  return 0;
}

}  // namespace intvit::tools
