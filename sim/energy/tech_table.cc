#include "sim/energy/tech_table.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "compiler/config_dirs.h"
#include "model/common/config_fields.h"
#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"

namespace intvit::sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A table is a few KB and nests 4 levels (energy.units.gelu.pj_per_element).
constexpr std::uint64_t kTableMaxBytes = std::uint64_t{1} << 20;
constexpr int kTableMaxDepth = 8;
constexpr std::size_t kMaxPoints = 64;

// A JSON object whose keys must all be in `allowed` and include every one of `required`.
class Obj {
 public:
  Obj(const json& j, std::string where, const std::set<std::string>& allowed,
      const std::set<std::string>& required)
      : j_(j), where_(std::move(where)) {
    Require(j.is_object(), where_ + " must be a JSON object");
    for (const auto& [k, v] : j.items()) {
      if (allowed.count(k) == 0) {
        std::vector<std::string> keys(allowed.begin(), allowed.end());
        throw InputError(where_ + ": unknown key '" + k + "' (known keys: " +
                         config_detail::KnownKeys(keys) + ")");
      }
    }
    for (const auto& k : required) Require(j.contains(k), where_ + ": missing key '" + k + "'");
  }
  bool Has(const std::string& k) const { return j_.contains(k); }
  std::string At(const std::string& k) const { return where_ + "." + k; }
  const json& operator[](const std::string& k) const { return j_.at(k); }
  // A finite number in [lo, hi].
  double Num(const std::string& k, double lo, double hi) const { return Number(j_.at(k), At(k), lo, hi); }
  double Num(const std::string& k, double lo, double hi, double def) const {
    return Has(k) ? Num(k, lo, hi) : def;
  }
  std::string Str(const std::string& k) const {
    const json& v = j_.at(k);
    Require(v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() <= 4096,
            At(k) + " must be a non-empty string");
    return v.get<std::string>();
  }
  static double Number(const json& v, const std::string& at, double lo, double hi) {
    Require(v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= lo &&
                v.get<double>() <= hi,
            at + " must be a number in [" + Fmt(lo) + ", " + Fmt(hi) + "]");
    return v.get<double>();
  }
  static std::string Fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }

 private:
  const json& j_;
  std::string where_;
};

// [[x, y], ...] with x strictly increasing, both in their ranges.
std::vector<std::pair<double, double>> Points(const Obj& o, const std::string& k, double xhi,
                                              double ylo, double yhi) {
  const json& v = o[k];
  Require(v.is_array() && !v.empty() && v.size() <= kMaxPoints,
          o.At(k) + " must be a list of 1 to " + std::to_string(kMaxPoints) + " [x, y] pairs");
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = o.At(k) + "[" + std::to_string(i) + "]";
    Require(v[i].is_array() && v[i].size() == 2, at + " must be a pair [x, y]");
    const double x = Obj::Number(v[i][0], at + "[0]", 1.0 / 1024, xhi);
    const double y = Obj::Number(v[i][1], at + "[1]", ylo, yhi);
    Require(out.empty() || x > out.back().first, at + ": x must increase along the list");
    out.emplace_back(x, y);
  }
  return out;
}

const std::vector<std::string> kUnits = {"requant", "shiftmax", "gelu", "layernorm", "add"};

void ReadEnergy(const Obj& e, TechTable& t) {
  // Every figure is {"pj...": value, "source": "..."}; the source is documentation, required.
  auto figure = [&](const std::string& k, const std::set<std::string>& values) {
    std::set<std::string> allowed = values;
    allowed.insert("source");
    std::set<std::string> required = {"source"};
    return Obj(e[k], e.At(k), allowed, required);
  };
  const Obj mac = figure("mac", {"pj"});
  t.mac_pj = mac.Num("pj", 0, 1e6);
  const Obj acc = figure("accumulator", {"pj"});
  t.accumulator_pj = acc.Num("pj", 0, 1e6);
  const Obj dram = figure("dram", {"pj_per_byte"});
  t.dram_pj_per_byte = dram.Num("pj_per_byte", 0, 1e6);
  const Obj sram = figure("sram", {"read_pj_per_byte", "write_factor", "bank_overhead",
                                   "port_overhead"});
  Require(sram.Has("read_pj_per_byte"), sram.At("read_pj_per_byte") + " is missing");
  t.sram_read_pj_per_byte = Points(sram, "read_pj_per_byte", 1 << 20, 1e-6, 1e6);
  t.sram_write_factor = sram.Num("write_factor", 0.01, 100, 1);
  t.sram_bank_overhead = sram.Num("bank_overhead", 0, 10, 0);
  t.sram_port_overhead = sram.Num("port_overhead", 0, 10, 0);
  for (const std::string& u : kUnits) {
    const Obj o = figure(u, {"pj_per_element", "pj_per_row", "pj_per_residual_element"});
    Require(o.Has("pj_per_element"), o.At("pj_per_element") + " is missing");
    UnitEnergy ue;
    ue.pj_per_element = o.Num("pj_per_element", 0, 1e6);
    ue.pj_per_row = o.Num("pj_per_row", 0, 1e9, 0);
    ue.pj_per_residual_element = o.Num("pj_per_residual_element", 0, 1e6, 0);
    t.units[u] = ue;
  }
}

void ReadArea(const Obj& a, TechTable& t) {
  t.nand2_um2 = a.Num("nand2_um2", 1e-6, 1e3);
  t.logic_utilization = a.Num("logic_utilization", 0.01, 1);
  const json& ge = a["gate_equivalents"];
  Require(ge.is_object() && !ge.empty() && ge.size() <= 256,
          a.At("gate_equivalents") + " must be an object of 1 to 256 yosys cell types");
  for (const auto& [cell, v] : ge.items()) {
    t.gate_equivalents[cell] = Obj::Number(v, a.At("gate_equivalents") + "." + cell, 0, 1000);
  }
  const Obj s(a["sram"], a.At("sram"), {"bitcell_um2", "array_efficiency", "port_area_factor", "source"},
              {"bitcell_um2", "array_efficiency", "source"});
  t.sram_bitcell_um2 = s.Num("bitcell_um2", 1e-6, 1e3);
  t.sram_array_efficiency = Points(s, "array_efficiency", 1 << 20, 0.01, 1);
  t.sram_port_area_factor = s.Num("port_area_factor", 0, 10, 0);
}

std::unique_ptr<TechTable> Read(const std::string& path, bool allow_derived) {
  const json j = ParseStrictJson<json>(ReadUserFile(path, kTableMaxBytes, "energy table"), path,
                                       kTableMaxDepth);
  auto t = std::make_unique<TechTable>();
  t->path = path;
  const Obj top(j, path, {"name", "node_nm", "sources", "energy", "area", "derived_from",
                          "energy_factor", "area_factor", "scaling"},
                {"name", "node_nm", "sources"});
  t->name = top.Str("name");
  Require(t->name.size() <= 64 && t->name.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789._-") == std::string::npos,
          top.At("name") + " must be 1 to 64 letters, digits, '.', '_' or '-'");
  t->node_nm = top.Num("node_nm", 1, 1000);
  Require(top["sources"].is_array() && !top["sources"].empty(),
          top.At("sources") + " must be a non-empty list of citations");
  if (top.Has("derived_from")) {
    Require(allow_derived, top.At("derived_from") +
                               ": a table may only be derived from a base table (no chains)");
    for (const char* k : {"energy_factor", "area_factor", "scaling"}) {
      Require(top.Has(k), path + ": a derived table needs '" + k + "'");
    }
    Require(!top.Has("energy") && !top.Has("area"),
            path + ": a derived table takes its figures from derived_from, not 'energy'/'area'");
    const std::string base_name = top.Str("derived_from");
    Require(base_name.find('/') == std::string::npos,
            top.At("derived_from") + " must name a table in the same folder");
    const fs::path base_path = fs::path(path).parent_path() / (base_name + ".json");
    const std::unique_ptr<TechTable> base = Read(base_path.string(), false);
    const double ef = top.Num("energy_factor", 1e-4, 1e4);
    const double af = top.Num("area_factor", 1e-4, 1e4);
    top.Str("scaling");  // the derivation of the factors: required, documentation only
    TechTable d = *base;
    d.name = t->name;
    d.path = path;
    d.node_nm = t->node_nm;
    d.mac_pj *= ef;
    d.accumulator_pj *= ef;
    for (auto& [kib, pj] : d.sram_read_pj_per_byte) pj *= ef;
    for (auto& [u, e] : d.units) {
      e.pj_per_element *= ef;
      e.pj_per_row *= ef;
      e.pj_per_residual_element *= ef;
    }
    d.nand2_um2 *= af;
    d.sram_bitcell_um2 *= af;
    *t = d;
    return t;
  }
  for (const char* k : {"energy_factor", "area_factor", "scaling"}) {
    Require(!top.Has(k), path + ": '" + k + "' belongs to a derived table (with derived_from)");
  }
  Require(top.Has("energy") && top.Has("area"), path + ": a base table needs 'energy' and 'area'");
  std::set<std::string> energy_keys = {"mac", "accumulator", "dram", "sram"};
  energy_keys.insert(kUnits.begin(), kUnits.end());
  ReadEnergy(Obj(top["energy"], top.At("energy"), energy_keys, energy_keys), *t);
  ReadArea(Obj(top["area"], top.At("area"),
               {"nand2_um2", "gate_equivalents", "logic_utilization", "sram", "source"},
               {"nand2_um2", "gate_equivalents", "logic_utilization", "sram", "source"}),
           *t);
  return t;
}

// y at x on a piecewise-linear curve in (log2 x, ly(y)), extrapolated from the end segments
// when `extrapolate`, clamped to the end values otherwise.
double Interpolate(const std::vector<std::pair<double, double>>& pts, double x, bool log_y,
                   bool extrapolate) {
  auto ly = [&](double y) { return log_y ? std::log2(y) : y; };
  auto unly = [&](double y) { return log_y ? std::exp2(y) : y; };
  if (pts.size() == 1) {
    // One point: a square-root law through it (CACTI's bit line and word line growth).
    return extrapolate && log_y ? pts[0].second * std::sqrt(x / pts[0].first) : pts[0].second;
  }
  const double lx = std::log2(x);
  std::size_t i = 1;
  while (i + 1 < pts.size() && x > pts[i].first) ++i;
  const double x0 = std::log2(pts[i - 1].first), x1 = std::log2(pts[i].first);
  double f = (lx - x0) / (x1 - x0);
  if (!extrapolate) f = std::clamp(f, 0.0, 1.0);
  return unly(ly(pts[i - 1].second) + f * (ly(pts[i].second) - ly(pts[i - 1].second)));
}

}  // namespace

std::vector<std::string> TechTableNames() { return compiler::ShippedConfigNames("energy"); }

std::string ResolveTechTablePath(const std::string& name_or_path, const std::string& field) {
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".json")) {
    return name_or_path;  // a path: the reader names what is wrong with it
  }
  if (std::string p = compiler::FindShippedConfig("energy", name_or_path); !p.empty()) return p;
  throw InputError(field + " '" + name_or_path + "' is neither a file nor a known table (" +
                   config_detail::KnownKeys(TechTableNames()) + ")");
}

const TechTable& LoadTechTable(const std::string& name_or_path, const std::string& field) {
  const std::string path = ResolveTechTablePath(name_or_path, field);
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<TechTable>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, Read(path, true)).first;
  return *it->second;
}

const TechTable& TechTableOf(const compiler::ArchConfig& arch) {
  return LoadTechTable(arch.energy_table, "energy.table");
}

double SramReadPjPerByte(const TechTable& t, const compiler::SramConfig& s) {
  const auto banks = static_cast<double>(s.banks);
  const double bank_kib = static_cast<double>(s.kib) / banks;
  return Interpolate(t.sram_read_pj_per_byte, bank_kib, true, true) *
         (1 + t.sram_bank_overhead * std::log2(banks)) *
         (1 + t.sram_port_overhead * static_cast<double>(s.ports - 1));
}

double SramWritePjPerByte(const TechTable& t, const compiler::SramConfig& s) {
  return SramReadPjPerByte(t, s) * t.sram_write_factor;
}

double SramAreaMm2(const TechTable& t, double bytes, double banks, double ports) {
  const double bank_kib = bytes / 1024.0 / banks;
  const double cell = t.sram_bitcell_um2 * (1 + t.sram_port_area_factor * (ports - 1));
  return bytes * 8 * cell / Interpolate(t.sram_array_efficiency, bank_kib, false, false) / 1e6;
}

double SramAreaMm2(const TechTable& t, const compiler::SramConfig& s) {
  return SramAreaMm2(t, static_cast<double>(s.bytes()), static_cast<double>(s.banks),
                     static_cast<double>(s.ports));
}

}  // namespace intvit::sim
