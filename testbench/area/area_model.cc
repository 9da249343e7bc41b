#include "testbench/area/area_model.h"

#include <algorithm>
#include <cstdio>

#include "model/common/error.h"
#include "sim/energy/tech_table.h"
#include "testbench/area/unit_synth.h"

namespace intvit::tb::area {
namespace {

using compiler::ArchConfig;

// One logic unit: its component, kind, top, parameters other than Lanes, its lanes (0: none),
// and the element bits of its row buffer (0: none).
struct UnitPlan {
  std::string component, top;
  std::vector<std::string> params;
  std::int64_t lanes = 0;
  std::int64_t max_cols = 0;
  int elem_bits = 0;
};

std::vector<UnitPlan> Plans(const ArchConfig& a) {
  const std::string spc = "DivStepsPerCycle=" + std::to_string(a.divider_bits_per_cycle);
  auto row = [&](const std::string& name, const compiler::RowUnitConfig& r, int elem_bits) {
    return UnitPlan{name, "ivit_" + name, {spc, "MaxCols=" + std::to_string(r.max_cols)},
                    r.lanes, r.max_cols, elem_bits};
  };
  return {
      {"array", "ivit_array",
       {"R=" + std::to_string(a.array_rows), "C=" + std::to_string(a.array_cols),
        "TR=" + std::to_string(a.array_tile_rows), "TC=" + std::to_string(a.array_tile_cols)}},
      {"requant", "ivit_requant", {}, a.requant.lanes},
      row("shiftmax", a.shiftmax, 8),
      row("gelu", a.gelu, 8),
      row("layernorm", a.layernorm, 16),
      {"add", "ivit_add", {}, a.add.lanes},
  };
}

CellCounts Synth(const Synthesizer& synth, const UnitPlan& u, std::int64_t lanes) {
  SynthSpec s{u.component, u.top, u.params, u.elem_bits > 0};
  if (u.lanes > 0) s.params.insert(s.params.begin(), "Lanes=" + std::to_string(lanes));
  return synth(s);
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

bool IsMemory(const std::string& cell) { return cell.rfind("$mem", 0) == 0; }

UnitArea Estimate(const UnitPlan& u, const sim::TechTable& t, const Synthesizer& synth) {
  UnitArea r;
  r.component = u.component;
  r.top = u.top;
  std::vector<std::string> params = u.params;
  if (u.lanes > 0) params.insert(params.begin(), "Lanes=" + std::to_string(u.lanes));
  r.params = Join(params);
  // Cells per type, extrapolated over lanes when the unit is too wide to synthesize.
  std::map<std::string, double> cells;
  if (u.lanes > SynthLanesLimit(u.component)) {
    const CellCounts c1 = Synth(synth, u, 1), c2 = Synth(synth, u, 2);
    std::map<std::string, double> all;
    for (const auto& [k, n] : c1.cells) all[k] += 0;
    for (const auto& [k, n] : c2.cells) all[k] += 0;
    for (const auto& [k, z] : all) {
      const double a = c1.cells.count(k) ? static_cast<double>(c1.cells.at(k)) : 0;
      const double b = c2.cells.count(k) ? static_cast<double>(c2.cells.at(k)) : 0;
      cells[k] = std::max(0.0, a + static_cast<double>(u.lanes - 1) * (b - a));
    }
    r.synthesized = "lanes 1, 2 extrapolated to " + std::to_string(u.lanes);
    r.synth_seconds = c1.synth_seconds + c2.synth_seconds;
    r.synth_cpu_seconds = c1.synth_cpu_seconds + c2.synth_cpu_seconds;
    r.from_cache = c1.from_cache && c2.from_cache;
  } else {
    const CellCounts c = Synth(synth, u, u.lanes);
    for (const auto& [k, n] : c.cells) cells[k] = static_cast<double>(n);
    r.synthesized = "exact";
    r.synth_seconds = c.synth_seconds;
    r.synth_cpu_seconds = c.synth_cpu_seconds;
    r.from_cache = c.from_cache;
  }
  for (const auto& [cell, n] : cells) {
    if (IsMemory(cell)) continue;
    const auto ge = t.gate_equivalents.find(cell);
    if (ge == t.gate_equivalents.end()) {
      throw InputError(t.path + ": area.gate_equivalents has no entry for the yosys cell type " +
                       cell + " (" + u.top + " " + r.params + " uses it)");
    }
    r.cells += n;
    r.gate_equivalents += n * ge->second;
  }
  r.logic_mm2 = r.gate_equivalents * t.nand2_um2 / t.logic_utilization / 1e6;
  if (u.elem_bits > 0) {
    // ivit_row_buf: ceil(MaxCols / Lanes) words of Lanes elements, one bank, one port.
    r.memory_bits = (u.max_cols + u.lanes - 1) / u.lanes * u.lanes * u.elem_bits;
    r.memory_mm2 = sim::SramAreaMm2(t, static_cast<double>(r.memory_bits) / 8, 1, 1);
  }
  return r;
}

}  // namespace

std::int64_t SynthLanesLimit(const std::string& unit) { return unit == "add" ? 256 : 2; }

AreaReport EstimateArea(const ArchConfig& arch, const Synthesizer& synth) {
  const sim::TechTable& t = sim::TechTableOf(arch);
  AreaReport r;
  r.table = t.name;
  for (const UnitPlan& u : Plans(arch)) {
    r.units.push_back(Estimate(u, t, synth));
    r.by_component_mm2[u.component] = r.units.back().logic_mm2 + r.units.back().memory_mm2;
  }
  for (auto b : {isa::Buffer::kAct, isa::Buffer::kWgt, isa::Buffer::kAcc, isa::Buffer::kVec}) {
    r.by_component_mm2["sram_" + std::string(isa::BufferName(b))] = sim::SramAreaMm2(t, arch.Sram(b));
  }
  for (const auto& [c, mm2] : r.by_component_mm2) r.total_mm2 += mm2;
  return r;
}

nlohmann::json AreaJson(const AreaReport& r) {
  return {{"table", r.table}, {"total_mm2", r.total_mm2}, {"by_component", r.by_component_mm2}};
}

std::string AreaText(const AreaReport& r) {
  std::string out = "area (table " + r.table + ")\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-11s %12s %12s %10s %10s  %s\n", "component", "mm2", "cells",
                "kGE", "mem bits", "synthesized (parameters, yosys wall / CPU time)");
  out += line;
  for (const UnitArea& u : r.units) {
    std::snprintf(line, sizeof line, "%-11s %12.4f %12.0f %10.1f %10lld  %s (%s, %s / %s s%s)\n",
                  u.component.c_str(), u.logic_mm2 + u.memory_mm2, u.cells,
                  u.gate_equivalents / 1e3, static_cast<long long>(u.memory_bits),
                  u.synthesized.c_str(), u.params.c_str(), Fixed(u.synth_seconds, 1).c_str(),
                  Fixed(u.synth_cpu_seconds, 1).c_str(), u.from_cache ? ", cached" : "");
    out += line;
  }
  for (const auto& [c, mm2] : r.by_component_mm2) {
    if (c.rfind("sram_", 0) != 0) continue;
    std::snprintf(line, sizeof line, "%-11s %12.4f\n", c.c_str(), mm2);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-11s %12.4f\n", "total", r.total_mm2);
  return out + line;
}

}  // namespace intvit::tb::area
