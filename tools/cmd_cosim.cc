// `intvit cosim` (and `intvit sim` with an impl.<unit> = rtl): the Program on the TLM model with
// the chosen units on their Verilated RTL (testbench/cosim). Prints and writes the TLM-vs-RTL
// cycle report (DIR/cosim.json, DIR/cosim_layers.csv) beside the usual reports. Exit 0 when
// every RTL result equals the executor's and every DRAM tensor the golden model's, 1 on a
// mismatch (the first is named), 2 on bad input.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "compiler/isa/codec.h"
#include "compiler/isa/operands.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "sim/top/report.h"
#include "testbench/cosim/cosim_datapath.h"
#include "tools/sim_setup.h"
#include "tools/stopwatch.h"
#include "tools/tlm_total.h"

namespace intvit::tools {
namespace {

struct WaveSpec {
  isa::Unit unit;
  std::string path;
  std::int64_t from = 0, to = INT64_MAX;
};

std::int64_t ParseCycle(const std::string& s, const std::string& spec) {
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
  }
  Require(used == s.size() && !s.empty() && v >= 0,
          "--wave " + spec + ": FROM-TO must be two cycle numbers >= 0");
  return v;
}

// "gelu" or "gelu:100000-120000".
WaveSpec ParseWave(const std::string& spec, const compiler::ArchConfig& arch,
                   const std::string& out) {
  const std::size_t colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const std::optional<isa::Unit> unit = RtlUnitNamed(name);
  Require(unit.has_value(),
          "--wave " + spec + ": unknown unit '" + name + "' (" + RtlUnitNames() + ")");
  WaveSpec w{*unit, "", 0, INT64_MAX};
  Require(arch.impl.IsRtl(w.unit), "--wave " + spec + ": the " + name +
                                       " unit does not run on its RTL (add it to --rtl)");
  if (colon != std::string::npos) {
    const std::string range = spec.substr(colon + 1);
    const std::size_t dash = range.find('-');
    Require(dash != std::string::npos, "--wave " + spec + ": the window is FROM-TO");
    w.from = ParseCycle(range.substr(0, dash), spec);
    w.to = ParseCycle(range.substr(dash + 1), spec);
    Require(w.from <= w.to, "--wave " + spec + ": FROM must not be after TO");
  }
  w.path = out + "/" + std::string(isa::UnitName(w.unit)) + ".vcd";
  return w;
}

double Ratio(std::int64_t rtl, std::int64_t tlm) {
  return tlm > 0 ? static_cast<double>(rtl) / static_cast<double>(tlm) : (rtl == 0 ? 1.0 : 0.0);
}

nlohmann::json CyclesJson(const tb::CosimCycles& c) {
  return {{"instructions", c.instructions},
          {"tlm_cycles", c.tlm_cycles},
          {"rtl_cycles", c.rtl_cycles},
          {"rtl_over_tlm", Ratio(c.rtl_cycles, c.tlm_cycles)},
          {"rtl_wall_seconds", c.rtl_seconds},
          {"rtl_cycles_per_second",
           c.rtl_seconds > 0 ? static_cast<double>(c.rtl_cycles) / c.rtl_seconds : 0.0}};
}

void WriteLayersCsv(const std::string& path, const tb::CosimDataPath& d) {
  std::ostringstream f;
  f << "layer,unit,instructions,tlm_cycles,rtl_cycles,rtl_over_tlm\n";
  for (const auto& [key, c] : d.layers()) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.6f", Ratio(c.rtl_cycles, c.tlm_cycles));
    f << key.first << "," << key.second << "," << c.instructions << "," << c.tlm_cycles << ","
      << c.rtl_cycles << "," << ratio << "\n";
  }
  WriteFileAtomically(path, f.str());
}

}  // namespace

int RunCosim(const SimArgs& a, const SimSetup& s) {
  const compiler::Program& p = s.program;
  const model::Graph& g = s.model.graph;
  std::vector<WaveSpec> waves;
  std::map<isa::Unit, tb::RtlUnitOptions> wave_options;
  tb::CosimOptions co;
  co.fault_instr = a.fault_instr;
  if (a.fault_instr >= 0) {
    const auto f = static_cast<std::size_t>(a.fault_instr);
    Require(f < p.instrs.size() && !isa::OperandsOf(p.instrs[f]).empty() &&
                isa::UnitOf(p.instrs[f]) != isa::Unit::kLoad &&
                isa::UnitOf(p.instrs[f]) != isa::Unit::kStore,
            "--inject-fault " + std::to_string(f) +
                ": not the index of a compute instruction of the program");
  }
  for (const std::string& spec : a.waves) {
    waves.push_back(ParseWave(spec, s.arch, s.out));
    wave_options[waves.back().unit] = {waves.back().path, waves.back().from, waves.back().to};
  }

  // The same Program with every unit on its TLM formula, in a child process (SystemC
  // elaborates once per process): the cycles the TLM model claims for this run.
  const std::int64_t total_tlm =
      TlmTotalCycles(s.program, g, s.input.tensor, s.golden.trace, a.quantum_cycles);

  // Every RTL unit, built (or loaded from the cache) before the run, so that a unit Verilated on
  // first use does not count in the run's wall time.
  tb::RtlTransactors rtl_units = tb::MakeRtlTransactors(s.arch, wave_options);

  bool progress_shown = false;
  SimArgs quiet_fault = a;
  quiet_fault.fault_instr = -1;  // the cosim data path injects it (into the RTL's result)
  sim::SimOptions o = BaseSimOptions(quiet_fault, "cosim", &progress_shown);
  std::unique_ptr<tb::CosimDataPath> data;
  o.datapath = [&](sim::Machine& m, const std::vector<int>& node) -> sim::DataPath& {
    std::vector<std::string> names(node.size());
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (node[i] >= 0) names[i] = g.nodes[static_cast<std::size_t>(node[i])].name;
    }
    data = std::make_unique<tb::CosimDataPath>(m, p, std::move(names), std::move(rtl_units), co);
    return *data;
  };
  const nlohmann::json area = a.area ? AreaStatsJson(s.arch) : nlohmann::json();
  Stopwatch wall;
  sim::SimResult r = sim::Simulate(p, g, s.input.tensor, s.golden.trace, o);
  if (a.area) r.stats_json["area"] = area;
  const double seconds = wall.WallMs() / 1000.0;
  if (progress_shown) std::fprintf(stderr, "\n");
  data->CloseWaves();
  for (const WaveSpec& w : waves) {
    if (w.from > r.total_cycles) {
      std::error_code ec;
      std::filesystem::remove(w.path, ec);
      throw InputError("--wave " + std::string(isa::UnitName(w.unit)) + ":" +
                       std::to_string(w.from) + "-" + std::to_string(w.to) +
                       ": the window starts after the run, which ends at cycle " +
                       std::to_string(r.total_cycles));
    }
  }
  sim::WriteReports(s.out, p, g, r);

  const bool rtl_exact = data->mismatched_instructions() == 0;
  const bool bit_exact = rtl_exact && r.check.pass();
  nlohmann::json units = nlohmann::json::object();
  const auto rtl_names = data->Descriptions();
  std::int64_t rtl_instrs = 0;
  for (const auto& [unit, c] : data->units()) {
    units[unit] = CyclesJson(c);
    units[unit]["rtl"] = rtl_names.count(unit) ? rtl_names.at(unit) : "";
    rtl_instrs += c.instructions;
  }
  for (const auto& [unit, desc] : rtl_names) {
    if (!units.contains(unit)) {
      units[unit] = CyclesJson({});
      units[unit]["rtl"] = desc;
    }
  }
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& [key, c] : data->layers()) {
    nlohmann::json row = CyclesJson(c);
    row["layer"] = key.first;
    row["unit"] = key.second;
    layers.push_back(row);
  }
  nlohmann::json report = {{"units", units},
                           {"layers", layers},
                           {"total_cycles_tlm", total_tlm},
                           {"total_cycles_cosim", r.total_cycles},
                           {"bit_exact", bit_exact},
                           {"mismatches", data->mismatched_instructions()},
                           {"rtl_instructions", rtl_instrs},
                           {"dram_tensors", static_cast<std::int64_t>(r.check.tensors.size())},
                           {"dram_tensors_pass", r.check.pass()},
                           {"wall_seconds", seconds},
                           {"simulated_cycles_per_second",
                            seconds > 0 ? static_cast<double>(r.total_cycles) / seconds : 0.0}};
  if (const auto& mm = data->first_mismatch()) {
    report["first_mismatch"] = {
        {"instruction", mm->instr}, {"unit", mm->unit},          {"layer", mm->layer},
        {"node", mm->node},         {"tile", mm->tile},          {"row", mm->row},
        {"col", mm->col},           {"expected", mm->expected},  {"actual", mm->actual},
        {"cycle", mm->cycle},       {"differing", mm->differing}};
  }
  WriteJsonFile(s.out + "/cosim.json", report);
  WriteLayersCsv(s.out + "/cosim_layers.csv", *data);

  std::printf("model         %s, %zu instructions (golden %.0f ms, compile %.0f ms)\n",
              s.model.name.c_str(), p.instrs.size(), s.golden_ms, s.compile_ms);
  std::printf("image         %s\n", s.input.what.c_str());
  std::cout << sim::SummaryText(p, g, r);
  std::printf("\nco-simulation: units on RTL, TLM formula cycles beside the RTL's\n");
  std::printf("%-10s %-50s %6s %11s %11s %8s %7s %8s\n", "unit", "RTL", "instr", "TLM cycles",
              "RTL cycles", "RTL/TLM", "RTL s", "Mcycle/s");
  for (const auto& [unit, desc] : rtl_names) {
    const tb::CosimCycles c =
        data->units().count(unit) ? data->units().at(unit) : tb::CosimCycles{};
    std::printf("%-10s %-50s %6lld %11lld %11lld %8.4f %7.2f %8.3f\n", unit.c_str(), desc.c_str(),
                static_cast<long long>(c.instructions), static_cast<long long>(c.tlm_cycles),
                static_cast<long long>(c.rtl_cycles), Ratio(c.rtl_cycles, c.tlm_cycles),
                c.rtl_seconds,
                c.rtl_seconds > 0 ? static_cast<double>(c.rtl_cycles) / c.rtl_seconds / 1e6 : 0.0);
  }
  double worst = 1.0;
  std::string worst_row;
  for (const auto& [key, c] : data->layers()) {
    const double q = Ratio(c.rtl_cycles, c.tlm_cycles);
    if (std::abs(q - 1.0) > std::abs(worst - 1.0)) {
      worst = q;
      worst_row = key.first + " " + key.second;
    }
  }
  std::printf("per layer     %zu rows in cosim_layers.csv; furthest RTL/TLM %.4f%s\n",
              data->layers().size(), worst,
              worst_row.empty() ? "" : (" (" + worst_row + ")").c_str());
  std::printf("total cycles  TLM formulas %lld, co-simulation %lld (RTL/TLM %.4f)\n",
              static_cast<long long>(total_tlm), static_cast<long long>(r.total_cycles),
              Ratio(r.total_cycles, total_tlm));
  if (rtl_exact) {
    std::printf(
        "RTL check     PASS: %lld RTL instructions equal the executor's, element for "
        "element\n",
        static_cast<long long>(rtl_instrs));
  } else {
    std::printf("RTL check     FAIL: %lld of %lld RTL instructions differ; first: %s\n",
                static_cast<long long>(data->mismatched_instructions()),
                static_cast<long long>(rtl_instrs), data->first_mismatch()->Text().c_str());
  }
  for (const WaveSpec& w : waves) std::printf("wave          %s\n", w.path.c_str());
  std::printf("wall          %.2f s, %.3f M simulated cycles/s\n", seconds,
              seconds > 0 ? static_cast<double>(r.total_cycles) / seconds / 1e6 : 0.0);
  std::printf(
      "reports       %s/{cosim.json,cosim_layers.csv,effective_config.json,stats.json,"
      "stats.csv,layers.csv%s}\n",
      s.out.c_str(), a.trace ? ",trace.json" : "");
  return bit_exact ? 0 : 1;
}

}  // namespace intvit::tools
