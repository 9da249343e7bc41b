// AddUnit: saturating int16 element-wise add of two act tiles.
// Detailed timing (docs/timing.md, DetailedVector in sim/timing/timing_model.h):
//   1 pass + add.latency_cycles
// where one pass is rows * ceil(cols / add.lanes) beats and each lane owns an iterative
// divider; at least the SRAM cycles of its operands. In scalesim mode it takes no time.
//
// Not modelled: bank conflicts between its two source streams and its destination stream.
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class AddUnit : public ComputeUnit {
 public:
  AddUnit(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
