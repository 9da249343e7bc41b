#include "sim/units/systolic_array.h"

namespace intvit::sim {

SystolicArray::SystolicArray(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kArray, ctx),
      macs_(ctx.stats.Counter("units.array.macs",
                              "multiply-accumulates computed (M*N*K of every gemm)")),
      folds_(ctx.stats.Counter("units.array.folds",
                               "array folds (weight or output tiles) run, detailed timing")) {
  StatsRegistry& s = ctx.stats;
  const std::int64_t* macs = &macs_;
  const std::int64_t pes = ctx.arch.array_rows * ctx.arch.array_cols;
  s.Formula("units.array.mac_utilization",
            "MACs / (R * C * total_cycles): the fraction of the array's peak used over the run",
            [macs, pes, &s] {
              const auto total = s.Value("total_cycles").get<std::int64_t>();
              return total > 0 ? static_cast<double>(*macs) /
                                     (static_cast<double>(pes) * static_cast<double>(total))
                               : 0.0;
            });
  const std::int64_t* busy = &busy_cycles();
  s.Formula("units.array.busy_mac_utilization",
            "MACs / (R * C * busy_cycles): the fraction of the peak used while the array runs",
            [macs, pes, busy] {
              return *busy > 0 ? static_cast<double>(*macs) /
                                     (static_cast<double>(pes) * static_cast<double>(*busy))
                               : 0.0;
            });
}

std::int64_t SystolicArray::ComputeCycles(const isa::Instr& instr) const {
  return DetailedGemm(ctx_.arch, instr).cycles;
}

SramTraffic SystolicArray::Traffic(const isa::Instr& instr) const {
  return GemmSramTraffic(ctx_.arch, instr);
}

void SystolicArray::Count(const isa::Instr& instr) {
  macs_ += static_cast<std::int64_t>(instr.rows * instr.cols * instr.depth);
  if (ctx_.mode == TimingMode::kDetailed) folds_ += DetailedGemm(ctx_.arch, instr).folds;
}

void SystolicArray::CountEvents(const isa::Instr& instr, InstrEvents& events) const {
  events.macs += static_cast<std::int64_t>(instr.rows * instr.cols * instr.depth);
}

std::string SystolicArray::TraceArgs(const isa::Instr& instr) const {
  return "\"M\":" + std::to_string(instr.rows) + ",\"N\":" + std::to_string(instr.cols) +
         ",\"K\":" + std::to_string(instr.depth);
}

}  // namespace intvit::sim
