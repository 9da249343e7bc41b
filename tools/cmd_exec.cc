// `intvit exec`: compile, run the Program on the functional executor, compare every DRAM
// tensor with the golden model. Exit 0 when bit-exact, 1 on a mismatch.
#include <iostream>

#include "compiler/compile.h"
#include "model/exec/run_reference.h"
#include "sim/isa/executor.h"
#include "tools/commands.h"
#include "tools/input_image.h"
#include "tools/model_source.h"
#include "tools/stopwatch.h"

namespace intvit::tools {
namespace {

struct ExecArgs {
  std::string model = "random:deit-tiny:1";
  std::string arch = "base16";
  std::vector<std::string> overrides;
  std::string image;  // --image FILE
  std::uint64_t image_seed = 1;
  std::int64_t shuffle_seed = -1;
  bool quiet = false;
  bool fault = false;
};

int RunExec(const ExecArgs& a) {
  const LoadedModel m = LoadModelArg(a.model);
  const compiler::ArchConfig arch = compiler::LoadArchConfig(a.arch, a.overrides);
  const InputImage input = LoadInputImage(m.graph, a.image, a.image_seed);
  const model::Tensor& image = input.tensor;
  Stopwatch sw;
  const model::RunResult golden = model::RunReference(m.graph, image);
  const double golden_ms = sw.WallMs(), golden_cpu = sw.CpuMs();
  sw.Restart();
  const compiler::Program p = compiler::Compile(m.graph, arch, m.name);
  const double compile_ms = sw.WallMs(), compile_cpu = sw.CpuMs();
  sim::ExecOptions o;
  if (a.shuffle_seed >= 0) o.shuffle_seed = static_cast<std::uint64_t>(a.shuffle_seed);
  sim::ExecStats stats;
  sw.Restart();
  sim::Machine machine = sim::RunProgram(p, image, o, &stats);
  if (a.fault && !p.checks.empty()) {
    // Flip one bit of the middle checked tensor, to see the checker report it.
    const compiler::CheckedTensor& c = p.checks[p.checks.size() / 2];
    machine.dram().at(c.dram_addr + c.row_pitch) ^= 0x10;
    std::printf("fault: flipped bit 4 of %s[1, 0]\n", c.tensor.c_str());
  }
  const double exec_ms = sw.WallMs(), exec_cpu = sw.CpuMs();
  const sim::CheckReport report = sim::CheckAgainstTrace(p, machine, m.graph, golden.trace);
  if (!a.quiet) std::cout << report.PerLayerText(p);
  std::printf("model %s on arch %s, %s: %llu instructions, %llu MACs\n", m.name.c_str(),
              arch.name.c_str(), input.what.c_str(),
              static_cast<unsigned long long>(stats.instructions),
              static_cast<unsigned long long>(stats.macs));
  std::printf("time (wall/cpu ms): golden %.0f/%.0f, compile %.0f/%.0f, exec %.0f/%.0f%s\n",
              golden_ms, golden_cpu, compile_ms, compile_cpu, exec_ms, exec_cpu,
              o.shuffle_seed ? " (random legal schedule)" : "");
  std::size_t failed = 0;
  for (const auto& t : report.tensors) failed += t.pass() ? 0 : 1;
  if (report.pass()) {
    std::printf("PASS: %zu tensors bit-exact against the golden model\n", report.tensors.size());
    return 0;
  }
  std::printf("FAIL: %zu of %zu tensors differ; first mismatch: %s\n", failed,
              report.tensors.size(), report.FirstMismatchText().c_str());
  return 1;
}

}  // namespace

void RegisterExec(CLI::App& app) {
  auto a = std::make_shared<ExecArgs>();
  auto* sub = app.add_subcommand(
      "exec", "Run a compiled Program on the functional executor and check it bit for bit");
  sub->add_option("--model", a->model, kModelArgHelp)->capture_default_str();
  sub->add_option("--arch", a->arch, "arch config: a JSON file or a name in configs/arch")
      ->capture_default_str();
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  AddImageOptions(*sub, a->image, a->image_seed);
  sub->add_option("--shuffle", a->shuffle_seed,
                  "run a random legal schedule with this seed (checks the dependency tokens)");
  sub->add_flag("-q,--quiet", a->quiet, "omit the per-layer lines");
  sub->add_flag("--fault", a->fault,
                "flip a bit of one DRAM tensor after the run (shows what a mismatch reports)");
  SetAction(sub, [a] { return RunExec(*a); });
}

}  // namespace intvit::tools
