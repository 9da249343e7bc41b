// RequantUnit: dyadic requantization of a tile, per-channel or per-tensor (m, e), with an
// optional residual branch.
// Detailed timing (docs/timing.md, DetailedVector in sim/timing/timing_model.h):
//   1 pass + requant.latency_cycles
// where one pass is rows * ceil(cols / requant.lanes) beats and each lane owns an iterative
// divider; at least the SRAM cycles of its operands. In scalesim mode it takes no time.
//
// Not modelled: fetching the per-channel (m, e) pairs (they stream beside the columns); rounding
// modes (both take the same time).
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class RequantUnit : public ComputeUnit {
 public:
  RequantUnit(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
