// GeluUnit: ShiftGELU rows (a max pass, then exp, a sigmoid divide and a multiply per
// element).
// Detailed timing (docs/timing.md, DetailedVector in sim/timing/timing_model.h):
//   2 passes + gelu.latency_cycles + rows * ceil(cols / lanes) * divider.latency_cycles
// where one pass is rows * ceil(cols / gelu.lanes) beats and each lane owns an iterative
// divider; at least the SRAM cycles of its operands. In scalesim mode it takes no time.
//
// Not modelled: overlap of the per-element divides with the streaming passes (the dividers are
// iterative and not pipelined).
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class GeluUnit : public ComputeUnit {
 public:
  GeluUnit(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
