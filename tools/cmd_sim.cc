// `intvit sim`: compile a model for an arch, run the Program on the SystemC TLM model, check
// every DRAM tensor against the golden model, print the report and write out/<run>/
// (effective_config.json, stats.json, stats.csv, layers.csv, trace.json with --trace).
// Exit 0 when bit-exact, 1 on a mismatch (the first differing tensor is named), 2 on bad input.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/compile.h"
#include "intvit_version.h"
#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "sim/top/report.h"
#include "sim/top/simulate.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"
#include "tools/input_image.h"
#include "tools/model_source.h"
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

void WriteJson(const std::string& path, const nlohmann::json& j) {
  std::ofstream f(path);
  Require(static_cast<bool>(f), "cannot write " + path);
  f << j.dump(2) << "\n";
  Require(static_cast<bool>(f), "cannot write " + path);
}

}  // namespace

int RunSim(const SimArgs& a) {
  const sim::TimingMode mode = sim::ParseTimingMode(a.timing);
  const LoadedModel m = LoadModelArg(a.model);
  const compiler::ArchConfig arch = compiler::LoadArchConfig(a.arch, a.overrides);
  const std::string out = a.out.empty() ? "out/" + RunName(m.graph, arch, a.timing) : a.out;
  PrepareOutputDir(out, "--out");

  const InputImage input = LoadInputImage(m.graph, a.image, a.image_seed);
  const model::Tensor& image = input.tensor;
  Stopwatch sw;
  const model::RunResult golden = model::RunReference(m.graph, image);
  const double golden_ms = sw.WallMs();
  sw.Restart();
  const compiler::Program p = compiler::Compile(m.graph, arch, m.name);
  const double compile_ms = sw.WallMs();

  nlohmann::json model_json = model::ModelConfigToJson(m.graph.config);
  model_json["source"] = m.name;
  WriteJson(out + "/effective_config.json", {{"generator", kGenerator},
                                             {"arch", compiler::ArchConfigToJson(arch)},
                                             {"model", model_json},
                                             {"run",
                                              {{"command", "sim"},
                                               {"model", a.model},
                                               {"arch", a.arch},
                                               {"overrides", a.overrides},
                                               {"timing", a.timing},
                                               {"image", input.what},
                                               {"trace", a.trace},
                                               {"quantum_cycles", a.quantum_cycles},
                                               {"out", out}}}});

  sim::SimOptions o;
  o.mode = mode;
  o.trace = a.trace;
  o.quantum_cycles = a.quantum_cycles;
  o.fault_instr = a.fault_instr;
  // A progress line on a terminal, once the run has taken a moment.
  Stopwatch progress_clock;
  bool progress_shown = false;
  if (isatty(STDERR_FILENO) && !a.quiet) {
    o.progress = [&](std::int64_t done, std::int64_t total) {
      if (progress_clock.WallMs() < 500) return;
      progress_shown = true;
      std::fprintf(
          stderr, "\rsim: %lld / %lld instructions retired (%.0f %%)", static_cast<long long>(done),
          static_cast<long long>(total),
          total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0);
      std::fflush(stderr);
    };
  }
  const sim::SimResult r = sim::Simulate(p, m.graph, image, golden.trace, o);
  if (progress_shown) std::fprintf(stderr, "\n");
  sim::WriteReports(out, p, m.graph, r);

  std::printf("model         %s, %zu instructions (golden %.0f ms, compile %.0f ms)\n",
              m.name.c_str(), p.instrs.size(), golden_ms, compile_ms);
  std::printf("image         %s\n", input.what.c_str());
  std::cout << sim::SummaryText(p, m.graph, r);
  std::printf("reports       %s/{effective_config.json,stats.json,stats.csv,layers.csv%s}\n",
              out.c_str(), a.trace ? ",trace.json" : "");
  return r.check.pass() ? 0 : 1;
}

}  // namespace intvit::tools
