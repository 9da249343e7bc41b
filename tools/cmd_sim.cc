// `intvit sim`: compile a model for an arch, run the Program on the SystemC TLM model, check
// every DRAM tensor against the golden model, print the report and write out/<run>/
// (effective_config.json, stats.json, stats.csv, layers.csv, trace.json with --trace).
// Exit 0 when bit-exact, 1 on a mismatch (the first differing tensor is named), 2 on bad input.
// With a unit on RTL (impl.<unit> = rtl, or `intvit cosim`) the run is a co-simulation
// (cmd_cosim.cc).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/compile.h"
#include "intvit_version.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "model/io/sha256.h"
#include "sim/top/report.h"
#include "sim/top/simulate.h"
#include "tools/output_dir.h"
#include "tools/sim_setup.h"
#include "tools/stopwatch.h"

namespace intvit::tools {
namespace {

std::string RunName(const model::Graph& g, const compiler::ArchConfig& arch,
                    const std::string& timing) {
  std::string name = g.config.arch + "_" + arch.name + "_" + timing;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return name;
}

}  // namespace

void WriteJsonFile(const std::string& path, const nlohmann::json& j) {
  WriteFileAtomically(path, j.dump(2) + "\n");
}

compiler::ArchConfig LoadEffectiveArch(const std::string& arch,
                                       const std::vector<std::string>& overrides) {
  compiler::ArchConfig c = compiler::LoadArchConfig(arch, overrides);
  // With overrides the config is another machine: its name carries a short hash of them, so
  // reports say which one and two runs' default output folders do not collide.
  if (!overrides.empty()) {
    std::string joined;
    for (const std::string& o : overrides) joined += o + "\n";
    c.name += "+" + model::Sha256Hex(joined).substr(0, 8);
  }
  return c;
}

void WriteEffectiveConfig(const SimSetup& s, const nlohmann::json& run) {
  nlohmann::json model_json = model::ModelConfigToJson(s.model.graph.config);
  model_json["source"] = s.model.name;
  WriteJsonFile(s.out + "/effective_config.json", {{"generator", kGenerator},
                                                   {"arch", compiler::ArchConfigToJson(s.arch)},
                                                   {"model", model_json},
                                                   {"run", run}});
}

sim::SimResult SimulateAndReport(const SimSetup& s, const sim::SimOptions& o) {
  sim::SimResult r = sim::Simulate(s.program, s.model.graph, s.input.tensor, s.golden.trace, o);
  sim::WriteReports(s.out, s.program, s.model.graph, r);
  return r;
}

std::optional<isa::Unit> RtlUnitNamed(const std::string& name) {
  const std::string n = name == "shiftgelu" ? "gelu" : name;
  for (isa::Unit u : compiler::ImplConfig::Units()) {
    if (n == isa::UnitName(u)) return u;
  }
  return std::nullopt;
}

std::string RtlUnitNames() {
  std::string names;
  for (isa::Unit u : compiler::ImplConfig::Units()) {
    names += (names.empty() ? "" : ", ") + std::string(isa::UnitName(u));
  }
  return names;
}

std::vector<std::string> OverridesWithRtl(const std::vector<std::string>& overrides,
                                          const std::string& rtl) {
  std::vector<std::string> out = overrides;
  if (rtl.empty()) return out;
  std::vector<isa::Unit> chosen;
  if (rtl == "all") {
    chosen = compiler::ImplConfig::Units();
  } else {
    std::size_t start = 0;
    while (start <= rtl.size()) {
      const std::size_t comma = std::min(rtl.find(',', start), rtl.size());
      const std::string name = rtl.substr(start, comma - start);
      const std::optional<isa::Unit> u = RtlUnitNamed(name);
      Require(u.has_value(),
              "--rtl: unknown unit '" + name + "' (known: all, " + RtlUnitNames() + ")");
      chosen.push_back(*u);
      start = comma + 1;
    }
  }
  for (isa::Unit u : chosen) out.push_back("impl." + std::string(isa::UnitName(u)) + "=rtl");
  return out;
}

sim::SimOptions BaseSimOptions(const SimArgs& a, const std::string& label, bool* progress_shown) {
  sim::SimOptions o;
  o.mode = sim::ParseTimingMode(a.timing);
  o.trace = a.trace;
  o.quantum_cycles = a.quantum_cycles;
  o.fault_instr = a.fault_instr;
  // A progress line on a terminal, once the run has taken a moment.
  if (isatty(STDERR_FILENO) && !a.quiet) {
    auto clock = std::make_shared<Stopwatch>();
    o.progress = [clock, label, progress_shown](std::int64_t done, std::int64_t total) {
      if (clock->WallMs() < 500) return;
      *progress_shown = true;
      std::fprintf(
          stderr, "\r%s: %lld / %lld instructions retired (%.0f %%)", label.c_str(),
          static_cast<long long>(done), static_cast<long long>(total),
          total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0);
      std::fflush(stderr);
    };
  }
  return o;
}

int RunSim(const SimArgs& a) {
  const sim::TimingMode mode = sim::ParseTimingMode(a.timing);
  SimSetup s;
  s.model = LoadModelArg(a.model);
  const std::vector<std::string> overrides = OverridesWithRtl(a.overrides, a.rtl);
  s.arch = LoadEffectiveArch(a.arch, overrides);
  const bool cosim = a.cosim || s.arch.impl.AnyRtl();
  Require(!(cosim && mode == sim::TimingMode::kScalesim),
          "co-simulation (impl.<unit> = rtl) runs the detailed timing, not --timing scalesim");
  Require(cosim || a.waves.empty(), "--wave needs units on RTL (intvit cosim)");
  const model::Graph& graph = s.model.graph;
  s.out = a.out.empty() ? "out/" + RunName(graph, s.arch, cosim ? "cosim" : a.timing) : a.out;
  PrepareOutputDir(s.out, "--out");

  s.input = LoadInputImage(graph, a.image, a.image_seed);
  const model::Tensor& image = s.input.tensor;
  Stopwatch sw;
  s.golden = model::RunReference(graph, image);
  s.golden_ms = sw.WallMs();
  sw.Restart();
  s.program = compiler::Compile(graph, s.arch, s.model.name);
  s.compile_ms = sw.WallMs();

  WriteEffectiveConfig(s, {{"command", cosim ? "cosim" : "sim"},
                           {"model", a.model},
                           {"arch", a.arch},
                           {"overrides", a.overrides},
                           {"rtl", a.rtl},
                           {"waves", a.waves},
                           {"timing", a.timing},
                           {"image", s.input.what},
                           {"trace", a.trace},
                           {"quantum_cycles", a.quantum_cycles},
                           {"out", s.out}});
  if (cosim) return RunCosim(a, s);

  bool progress_shown = false;
  const sim::SimOptions o = BaseSimOptions(a, "sim", &progress_shown);
  const sim::SimResult r = SimulateAndReport(s, o);
  if (progress_shown) std::fprintf(stderr, "\n");

  std::printf("model         %s, %zu instructions (golden %.0f ms, compile %.0f ms)\n",
              s.model.name.c_str(), s.program.instrs.size(), s.golden_ms, s.compile_ms);
  std::printf("image         %s\n", s.input.what.c_str());
  std::cout << sim::SummaryText(s.program, graph, r);
  std::printf("reports       %s/{effective_config.json,stats.json,stats.csv,layers.csv%s}\n",
              s.out.c_str(), a.trace ? ",trace.json" : "");
  return r.check.pass() ? 0 : 1;
}

#ifndef INTVIT_WITH_RTL
int RunCosim(const SimArgs&, const SimSetup&) {
  throw InputError(
      "co-simulation (impl.<unit> = rtl, intvit cosim) needs the Verilated RTL, and this intvit "
      "was built without it (INTVIT_WITH_RTL=OFF or no Verilator): install verilator and "
      "rebuild with ./run.sh build");
}
#endif

}  // namespace intvit::tools
