// VectorUnit: one of the five units that stream SRAM tiles through lanes (requant, shiftmax,
// gelu, layernorm, add). They differ only in the cycle formula, which lives in one place
// (DetailedVector in sim/timing/timing_model.h, docs/timing.md), so one class serves all five;
// the isa::Unit given at construction names it and its counter `units.<name>.elements`.
//
// Detailed timing: the RTL units' cycles (sim/timing/unit_cycles.h, DetailedVector), and at
// least the SRAM cycles of the operands. In scalesim mode they take no time.
//
// Not modelled: fetching requant's per-channel (m, e) pairs (they stream beside the columns);
// bank conflicts between a unit's source and destination streams.
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class VectorUnit : public ComputeUnit {
 public:
  // `unit` is one of kRequant, kShiftmax, kGelu, kLayernorm, kAdd.
  VectorUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;
  void CountEvents(const isa::Instr& instr, InstrEvents& events) const override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
