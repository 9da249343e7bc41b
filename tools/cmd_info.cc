// `intvit info`: the resolved arch config (every field, its value and its description), or a
// model's config and size.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include "compiler/arch_config.h"
#include "model/common/error.h"
#include "tools/area_cli.h"
#include "tools/command_args.h"
#include "tools/model_source.h"

namespace intvit::tools {
namespace {

// Config, parameter counts, MACs per layer and the ranges of the integer parameters.
void PrintModelInfo(const LoadedModel& m) {
  const model::Graph& g = m.graph;
  std::cout << "model " << m.name << ": " << g.nodes.size() << " nodes, " << g.TotalMacs()
            << " MACs per image\n"
            << DescribeConfig(g.config, model::ModelConfigFields());
  std::int64_t weights = 0, biases = 0, other = 0;
  for (const auto& [name, t] : g.params.tensors) {
    (name.ends_with(".weight") ? weights : name.ends_with(".bias") ? biases : other) += t.numel();
  }
  std::cout << "\nparameters: " << weights << " int8 weights, " << biases << " int32 biases, "
            << other << " int16 embedding values (cls, pos)\n";
  std::cout << "\nGEMM layers (M x N x K, MACs):\n";
  for (const auto& n : g.nodes) {
    const auto d = g.Dims(n);
    if (d.m == 0) continue;
    if (n.head > 0) continue;  // one line per attention GEMM, heads folded
    const std::int64_t heads = n.head == 0 ? g.config.num_heads : 1;
    std::cout << "  " << std::left << std::setw(30) << n.name << std::right << std::setw(5)
              << d.m << " x " << std::setw(5) << d.n << " x " << std::setw(5) << d.k
              << std::setw(13) << g.Macs(n) * heads << (heads > 1 ? "  (all heads)" : "") << "\n";
  }
  std::int64_t e_lo = 1 << 30, e_hi = -(1 << 30), neg_m = 0, m_max = 0;
  for (const auto& [name, r] : g.params.requants) {
    for (const auto* v : {&r.mult, &r.mult_res}) {
      for (const auto& d : *v) {
        e_lo = std::min<std::int64_t>(e_lo, d.e), e_hi = std::max<std::int64_t>(e_hi, d.e);
        neg_m += d.m < 0;
        m_max = std::max(m_max, d.m < 0 ? -d.m : d.m);
      }
    }
  }
  std::int64_t sm_lo = 0, sm_hi = INT64_MIN, g_lo = 0, g_hi = INT64_MIN, b_abs = 0;
  for (const auto& [name, p] : g.params.shiftmaxes) sm_lo = std::min(sm_lo, p.x0), sm_hi = std::max(sm_hi, p.x0);
  for (const auto& [name, p] : g.params.gelus) g_lo = std::min(g_lo, p.x0), g_hi = std::max(g_hi, p.x0);
  for (const auto& [name, p] : g.params.layernorms) {
    for (auto b : p.bias_int) b_abs = std::max(b_abs, b < 0 ? -b : b);
  }
  std::cout << "\ninteger parameters:\n"
            << "  requant points  " << g.params.requants.size() << ", e in [" << e_lo << ", "
            << e_hi << "], max |m| " << m_max << ", negative m " << neg_m << "\n"
            << "  shiftmax x0     [" << sm_lo << ", " << sm_hi << "]\n"
            << "  shiftgelu x0    [" << g_lo << ", " << g_hi << "]\n"
            << "  layernorm |bias_int| <= " << b_abs << "\n";
}

}  // namespace

#ifndef INTVIT_WITH_RTL
nlohmann::json AreaStatsJson(const compiler::ArchConfig&) {
  throw InputError("--area synthesizes the RTL units, and this intvit was built without the RTL "
                   "(INTVIT_WITH_RTL=OFF or no Verilator): install verilator and yosys and "
                   "rebuild with ./run.sh build");
}
void PrintArea(const compiler::ArchConfig& arch) { AreaStatsJson(arch); }
#endif

int RunInfo(const InfoArgs& a) {
  Require(!a.arch.empty() || !a.model.empty(), "info: give --arch and/or --model");
  Require(!a.area || !a.arch.empty(), "info --area: give --arch");
  if (!a.arch.empty()) {
    const compiler::ArchConfig c = compiler::LoadArchConfig(a.arch, a.overrides);
    std::cout << "arch config " << c.name << " (" << compiler::ResolveArchConfigPath(a.arch)
              << ")\n"
              << DescribeConfig(c, compiler::ArchConfigFields());
    if (c.DataflowIsScalesimOnly()) {
      std::cout << "note: dataflow 'is' is modelled only by the scalesim timing mode\n";
    }
    if (a.area) PrintArea(c);
  }
  if (!a.model.empty()) PrintModelInfo(LoadModelArg(a.model));
  return 0;
}

}  // namespace intvit::tools
