// `intvit exec`: compile, run the Program on the functional executor, compare every DRAM
// tensor with the golden model. Exit 0 when bit-exact, 1 on a mismatch.
#include <iostream>

#include "compiler/compile.h"
#include "model/exec/run_reference.h"
#include "sim/isa/executor.h"
#include "tools/command_args.h"
#include "tools/input_image.h"
#include "tools/model_source.h"
#include "tools/stopwatch.h"

namespace intvit::tools {
namespace {

}  // namespace

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

}  // namespace intvit::tools
