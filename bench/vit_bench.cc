// Golden-model speed on whole ViTs: ms/image of RunReference for DeiT-Tiny and DeiT-Small with
// every GEMM kernel this CPU supports (the scalar one is the reference the others equal), and
// the GMAC/s that implies (per wall second). The Time column is ms/image; CPU is the process's
// CPU time, which is the figure to read on a loaded machine. One core, no trace kept.
// The op_profile benchmarks run the same images with RunOptions::profile and, after all
// benchmarks, print the CPU ms/image per op type (requant split by input dtype).
#include <benchmark/benchmark.h>

#include <iostream>
#include <map>
#include <memory>

#include "model/exec/run_reference.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"

namespace intvit::model {
namespace {

const Graph& CachedGraph(const std::string& preset) {
  static std::map<std::string, std::unique_ptr<Graph>> cache;
  auto& g = cache[preset];
  if (!g) {
    const ModelConfig c = ModelPreset(preset);
    g = std::make_unique<Graph>(BuildVitGraph(c, RandomModelParams(c, 1)));
  }
  return *g;
}

void BM_RunReference(benchmark::State& state, std::string preset, GemmIsa isa) {
  if (!GemmIsaSupported(isa)) {
    state.SkipWithError("ISA not supported on this CPU");
    return;
  }
  const Graph& g = CachedGraph(preset);
  const Tensor image = RandomImage(g.config, 2);
  RunOptions o;
  o.keep_trace = false;
  o.isa = isa;
  for (auto _ : state) benchmark::DoNotOptimize(RunReference(g, image, o).logits);
  state.counters["GMAC/s"] = benchmark::Counter(
      static_cast<double>(g.TotalMacs()) * static_cast<double>(state.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}

std::map<std::string, OpProfile>& Profiles() {
  static std::map<std::string, OpProfile> profiles;
  return profiles;
}

void BM_OpProfile(benchmark::State& state, std::string preset, GemmIsa isa) {
  if (!GemmIsaSupported(isa)) {
    state.SkipWithError("ISA not supported on this CPU");
    return;
  }
  const Graph& g = CachedGraph(preset);
  const Tensor image = RandomImage(g.config, 2);
  OpProfile& profile = Profiles()[preset + " " + std::string(GemmIsaName(isa))];
  RunOptions o;
  o.keep_trace = false;
  o.isa = isa;
  o.profile = &profile;
  for (auto _ : state) benchmark::DoNotOptimize(RunReference(g, image, o).logits);
}

BENCHMARK_CAPTURE(BM_RunReference, deit_tiny_avx512vnni, "deit-tiny", GemmIsa::kAvx512Vnni)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK_CAPTURE(BM_RunReference, deit_tiny_avx2, "deit-tiny", GemmIsa::kAvx2)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK_CAPTURE(BM_RunReference, deit_tiny_scalar, "deit-tiny", GemmIsa::kScalar)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(2);
BENCHMARK_CAPTURE(BM_RunReference, deit_small_avx512vnni, "deit-small", GemmIsa::kAvx512Vnni)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK_CAPTURE(BM_RunReference, deit_small_scalar, "deit-small", GemmIsa::kScalar)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(1);

BENCHMARK_CAPTURE(BM_OpProfile, deit_tiny_avx512vnni, "deit-tiny", GemmIsa::kAvx512Vnni)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK_CAPTURE(BM_OpProfile, deit_small_avx512vnni, "deit-small", GemmIsa::kAvx512Vnni)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
}  // namespace intvit::model

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const auto& [name, profile] : intvit::model::Profiles()) {
    std::cout << "\nper-op CPU time, " << name << " (" << profile.images << " images)\n"
              << profile.Format();
  }
  return 0;
}
