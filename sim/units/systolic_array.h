// SystolicArray: the R x C int8 array (array.rows x array.cols) running gemm instructions in
// the configured dataflow. Detailed timing (docs/timing.md, sim/timing/timing_model.h):
//   ws: the RTL array's cycles (sim/timing/unit_cycles.h, ArrayGemmCycles): F = ceil(K/R) *
//       ceil(N/C) folds, R + (F - 1) * max(M, R/TR + R) + M + R/TR + C/TC
//   os: ceil(M/R) * ceil(N/C) folds of  K + (R + C - 1) + R  cycles (no RTL)
// and at least the SRAM cycles of the A, B and accumulator traffic. In scalesim mode each gemm
// takes its share of its layer's SCALE-Sim compute cycles.
//
// Not modelled: overlap of one gemm instruction's drain with the next one's fill,
// zero-skipping, clock gating of unused PEs.
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class SystolicArray : public ComputeUnit {
 public:
  SystolicArray(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;
  void CountEvents(const isa::Instr& instr, InstrEvents& events) const override;
  std::string TraceArgs(const isa::Instr& instr) const override;

  std::int64_t& macs_;
  std::int64_t& folds_;
};

}  // namespace intvit::sim
