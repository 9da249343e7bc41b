// ShiftmaxUnit: Shiftmax rows (a max pass, an exp-and-sum pass, one divide per row, a
// normalize pass).
// Detailed timing (docs/timing.md, DetailedVector in sim/timing/timing_model.h):
//   3 passes + shiftmax.latency_cycles + ceil(rows / lanes) * divider.latency_cycles
// where one pass is rows * ceil(cols / shiftmax.lanes) beats and each lane owns an iterative
// divider; at least the SRAM cycles of its operands. In scalesim mode it takes no time.
//
// Not modelled: overlap of a row's divide with the next row's passes; the row buffer (a row is
// assumed to fit).
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class ShiftmaxUnit : public ComputeUnit {
 public:
  ShiftmaxUnit(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
