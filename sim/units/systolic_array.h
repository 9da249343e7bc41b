// SystolicArray: the R x C int8 array (array.rows x array.cols) running gemm instructions in
// the configured dataflow. Detailed timing (docs/timing.md, sim/timing/timing_model.h):
//   ws: ceil(K/R) * ceil(N/C) * a_passes folds of  R + M + (R + C - 1)  cycles
//   os: ceil(M/R) * ceil(N/C) * a_passes folds of  K + (R + C - 1) + R  cycles
// and at least the SRAM cycles of the A, B and accumulator traffic. In scalesim mode each gemm
// takes its share of its layer's SCALE-Sim compute cycles.
//
// Not modelled: weight double-buffering inside the PEs (the next fold's weights load after the
// current fold drains), overlap of fill/drain between consecutive folds or instructions,
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
  std::string TraceArgs(const isa::Instr& instr) const override;

  std::int64_t& macs_;
  std::int64_t& folds_;
};

}  // namespace intvit::sim
