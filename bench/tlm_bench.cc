// tlm_bench: wall time of the SystemC TLM model on whole ViTs, bits checked.
//   build/bench/tlm_bench [--arch base16] [--timing detailed|scalesim] [--reps 3] [model ...]
// Models default to deit-tiny and deit-small (random parameters, seed 1). For each model, in a
// child process per repetition (SystemC elaborates once per process), it prints the phases'
// wall times: golden reference run, compile, TLM simulation (sc_start), bit check; and the
// simulated cycles per wall second. docs/timing.md quotes the figures.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "model/exec/run_reference.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "sim/top/simulate.h"

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds of this process (the machine may be shared; wall time then overstates).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int RunOnce(const std::string& preset, const std::string& arch_name, intvit::sim::TimingMode mode) {
  using namespace intvit;
  const model::ModelConfig c = model::ModelPreset(preset);
  auto t = Clock::now();
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  const model::Tensor image = model::RandomImage(c, 2);
  const double build_s = Since(t);
  t = Clock::now();
  model::RunOptions ro;
  const model::RunResult golden = model::RunReference(g, image, ro);
  const double golden_s = Since(t);
  t = Clock::now();
  const compiler::ArchConfig arch = compiler::LoadArchConfig(arch_name);
  const compiler::Program p = compiler::Compile(g, arch, preset);
  const double compile_s = Since(t);
  sim::SimOptions o;
  o.mode = mode;
  t = Clock::now();
  const double cpu0 = CpuSeconds();
  const sim::SimResult r = sim::Simulate(p, g, image, golden.trace, o);
  const double total_s = Since(t);
  const double cpu_s = CpuSeconds() - cpu0;
  std::printf(
      "%-11s %-8s %-8s instrs %7zu  cycles %10lld  golden %6.3f s  compile %6.3f s  "
      "tlm %6.3f s  check %6.3f s  tlm+check %6.3f s wall, %6.3f s cpu  %6.2f M cycles/s  %s\n",
      preset.c_str(), arch_name.c_str(), std::string(sim::TimingModeName(mode)).c_str(),
      p.instrs.size(), static_cast<long long>(r.total_cycles), golden_s, compile_s, r.sim_seconds,
      r.check_seconds, total_s, cpu_s, static_cast<double>(r.total_cycles) / r.sim_seconds / 1e6,
      r.check.pass() ? "bit-exact" : "MISMATCH");
  (void)build_s;
  std::fflush(stdout);
  return r.check.pass() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string arch = "base16";
  std::string timing = "detailed";
  int reps = 3;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--arch" && i + 1 < argc) {
      arch = argv[++i];
    } else if (a == "--timing" && i + 1 < argc) {
      timing = argv[++i];
    } else if (a == "--reps" && i + 1 < argc) {
      reps = std::stoi(argv[++i]);
    } else {
      models.push_back(a);
    }
  }
  if (models.empty()) models = {"deit-tiny", "deit-small"};
  const intvit::sim::TimingMode mode = intvit::sim::ParseTimingMode(timing);
  int failures = 0;
  for (const std::string& m : models) {
    for (int rep = 0; rep < reps; ++rep) {
      const pid_t pid = fork();
      if (pid == 0) {
        try {
          _exit(RunOnce(m, arch, mode));
        } catch (const std::exception& e) {
          std::fprintf(stderr, "error: %s\n", e.what());
          _exit(2);
        }
      }
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

// libsystemc.so calls sc_main when it owns main(); this binary has its own main.
int sc_main(int, char**) { return 0; }
