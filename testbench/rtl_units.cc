#include "testbench/rtl_units.h"

#include <cstdlib>
#include <functional>
#include <string>

#include "Vivit_add_l16.h"
#include "Vivit_array_16x16.h"
#include "Vivit_array_4x4.h"
#include "Vivit_array_8x8_t2x2.h"
#include "Vivit_requant_l16.h"
#include "Vnl_gelu_l8s4.h"
#include "Vnl_layernorm_l8s4.h"
#include "Vnl_shiftmax_l8s4.h"
#include "model/common/error.h"
#include "testbench/array/array_driver.h"
#include "testbench/dynamic/rtl_cache.h"
#include "testbench/nonlinear/row_driver.h"
#include "testbench/vector_units/vector_driver.h"

namespace intvit::tb {
namespace {

WaveOptions Wave(const RtlUnitOptions& o) { return {o.wave_path, o.wave_from, o.wave_to}; }

void Range(const std::string& what, std::int64_t v, std::int64_t lo, std::int64_t hi) {
  if (v < lo || v > hi) {
    throw InputError(what + " = " + std::to_string(v) + " is outside [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
  }
}

// The prebuilt units: the parameter sets testbench/CMakeLists.txt Verilates.
template <class Unit, class Params>
struct Prebuilt {
  Params params;
  std::function<std::unique_ptr<Unit>(const Params&, WaveOptions)> make;
};

// INTVIT_RTL_NO_PREBUILT=1 Verilates every unit on first use, prebuilt or not: for measuring
// the build and comparing a unit built at run time with its prebuilt twin.
bool NoPrebuilt() {
  const char* v = std::getenv("INTVIT_RTL_NO_PREBUILT");
  return v != nullptr && std::string(v) == "1";
}

template <class Unit, class Params>
const Prebuilt<Unit, Params>* Find(const std::vector<Prebuilt<Unit, Params>>& table,
                                   const Params& p) {
  if (NoPrebuilt()) return nullptr;
  for (const auto& e : table) {
    if (e.params == p) return &e;
  }
  return nullptr;
}

template <class V>
std::unique_ptr<ArrayUnit> Array(const ArrayGeometry& g, WaveOptions w) {
  return std::make_unique<ArrayUnitImpl<V>>(g, std::move(w));
}
const std::vector<Prebuilt<ArrayUnit, ArrayGeometry>>& Arrays() {
  static const std::vector<Prebuilt<ArrayUnit, ArrayGeometry>> t = {
      {{4, 4, 1, 1}, Array<Vivit_array_4x4>},
      {{16, 16, 1, 1}, Array<Vivit_array_16x16>},
      {{8, 8, 2, 2}, Array<Vivit_array_8x8_t2x2>}};
  return t;
}

const std::vector<Prebuilt<RequantUnit, int>>& Requants() {
  static const std::vector<Prebuilt<RequantUnit, int>> t = {
      {16, [](const int& l, WaveOptions w) -> std::unique_ptr<RequantUnit> {
         return std::make_unique<RequantUnitImpl<Vivit_requant_l16>>(l, std::move(w));
       }}};
  return t;
}

const std::vector<Prebuilt<AddUnit, int>>& Adds() {
  static const std::vector<Prebuilt<AddUnit, int>> t = {
      {16, [](const int& l, WaveOptions w) -> std::unique_ptr<AddUnit> {
         return std::make_unique<AddUnitImpl<Vivit_add_l16>>(l, std::move(w));
       }}};
  return t;
}

struct RowParams {
  RowKind kind;
  int lanes, spc, max_cols;
  friend bool operator==(const RowParams&, const RowParams&) = default;
};
template <RowKind K, class V>
std::unique_ptr<RowUnit> Row(const RowParams& p, WaveOptions w) {
  return std::make_unique<RowUnitImpl<K, V, 8>>(RowUnitShape{p.lanes, p.spc, p.max_cols},
                                                std::move(w));
}
const std::vector<Prebuilt<RowUnit, RowParams>>& RowUnits() {
  static const std::vector<Prebuilt<RowUnit, RowParams>> t = {
      {{RowKind::kShiftmax, 8, 4, 4096}, Row<RowKind::kShiftmax, Vnl_shiftmax_l8s4>},
      {{RowKind::kGelu, 8, 4, 4096}, Row<RowKind::kGelu, Vnl_gelu_l8s4>},
      {{RowKind::kLayerNorm, 8, 4, 4096}, Row<RowKind::kLayerNorm, Vnl_layernorm_l8s4>}};
  return t;
}

template <class Set>
ShimArgs Args(const RtlUnitOptions& o, Set set) {
  ShimArgs a;
  a.wave = Wave(o);
  set(a);
  return a;
}

template <class Unit>
std::unique_ptr<Unit> Dynamic(const dynamic::UnitSpec& spec, const ShimArgs& args) {
  return std::unique_ptr<Unit>(static_cast<Unit*>(dynamic::MakeUnit(spec, args)));
}

}  // namespace

void CheckArrayGeometry(const ArrayGeometry& g) {
  Range("array rows", g.rows, 1, 1024);
  Range("array cols", g.cols, 1, 1024);
  Range("array tile_rows", g.tile_rows, 1, g.rows);
  Range("array tile_cols", g.tile_cols, 1, g.cols);
  if (g.rows % g.tile_rows != 0 || g.cols % g.tile_cols != 0) {
    throw InputError("array " + g.Name() +
                     ": rows must be a multiple of tile_rows and cols a multiple of tile_cols");
  }
}

void CheckLanes(const char* unit, int lanes) { Range(std::string(unit) + " lanes", lanes, 1, 256); }

void CheckRowUnitShape(RowKind k, const RowUnitShape& s) {
  const std::string u = RowKindName(k);
  Range(u + " lanes", s.lanes, 1, 256);
  Range(u + " DivStepsPerCycle", s.spc, 1, 32);
  Range(u + " MaxCols", s.max_cols, 1, 1 << 20);
}

std::vector<ArrayGeometry> BuiltArrayGeometries() {
  std::vector<ArrayGeometry> g;
  for (const auto& e : Arrays()) g.push_back(e.params);
  return g;
}
bool IsPrebuilt(const ArrayGeometry& g) { return Find(Arrays(), g) != nullptr; }
bool IsPrebuiltRequant(int lanes) { return Find(Requants(), lanes) != nullptr; }
bool IsPrebuiltAdd(int lanes) { return Find(Adds(), lanes) != nullptr; }
bool IsPrebuilt(RowKind k, const RowUnitShape& s) {
  return Find(RowUnits(), RowParams{k, s.lanes, s.spc, s.max_cols}) != nullptr;
}

std::unique_ptr<ArrayUnit> MakeArrayUnit(const ArrayGeometry& g, const RtlUnitOptions& o) {
  CheckArrayGeometry(g);
  if (const auto* e = Find(Arrays(), g)) return e->make(g, Wave(o));
  const dynamic::UnitSpec spec{"array",
                               "ivit_array",
                               {"R=" + std::to_string(g.rows), "C=" + std::to_string(g.cols),
                                "TR=" + std::to_string(g.tile_rows),
                                "TC=" + std::to_string(g.tile_cols)},
                               {}};
  return Dynamic<ArrayUnit>(spec, Args(o, [&](ShimArgs& a) { a.array = g; }));
}

std::unique_ptr<RequantUnit> MakeRequantUnit(int lanes, const RtlUnitOptions& o) {
  CheckLanes("requant", lanes);
  if (const auto* e = Find(Requants(), lanes)) return e->make(lanes, Wave(o));
  const dynamic::UnitSpec spec{"requant", "ivit_requant", {"Lanes=" + std::to_string(lanes)}, {}};
  return Dynamic<RequantUnit>(spec, Args(o, [&](ShimArgs& a) { a.lanes = lanes; }));
}

std::unique_ptr<AddUnit> MakeAddUnit(int lanes, const RtlUnitOptions& o) {
  CheckLanes("add", lanes);
  if (const auto* e = Find(Adds(), lanes)) return e->make(lanes, Wave(o));
  const dynamic::UnitSpec spec{"add", "ivit_add", {"Lanes=" + std::to_string(lanes)}, {}};
  return Dynamic<AddUnit>(spec, Args(o, [&](ShimArgs& a) { a.lanes = lanes; }));
}

std::unique_ptr<RowUnit> MakeRowUnit(RowKind k, const RowUnitShape& s, const RtlUnitOptions& o) {
  CheckRowUnitShape(k, s);
  const RowParams p{k, s.lanes, s.spc, s.max_cols};
  if (const auto* e = Find(RowUnits(), p)) return e->make(p, Wave(o));
  const std::string name = RowKindName(k);
  const dynamic::UnitSpec spec{
      name,
      "ivit_" + name,
      {"Lanes=" + std::to_string(s.lanes), "DivStepsPerCycle=" + std::to_string(s.spc),
       "MaxCols=" + std::to_string(s.max_cols)},
      {"IVIT_ROW_KIND=" + std::to_string(static_cast<int>(k)),
       "IVIT_LANES=" + std::to_string(s.lanes)}};
  return Dynamic<RowUnit>(spec, Args(o, [&](ShimArgs& a) { a.row = s; }));
}

}  // namespace intvit::tb
