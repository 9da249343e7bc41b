// VectorUnit: one of the five units that stream SRAM tiles through lanes (requant, shiftmax,
// gelu, layernorm, add). They differ only in the cycle formula, which lives in one place
// (DetailedVector in sim/timing/timing_model.h, docs/timing.md), so one class serves all five;
// the isa::Unit given at construction names it and its counter `units.<name>.elements`.
//
// Detailed timing, with one pass = rows * ceil(cols / <unit>.lanes) beats, D =
// divider.latency_cycles and each lane owning an iterative divider:
//   requant    1 pass + requant.latency_cycles
//   add        1 pass + add.latency_cycles
//   gelu       2 passes (row max; exp, sigmoid, multiply) + gelu.latency_cycles
//              + rows * ceil(cols / lanes) * D (one divide per element)
//   shiftmax   3 passes (max; exp and sum; normalize) + shiftmax.latency_cycles
//              + ceil(rows / lanes) * D (one divide per row)
//   layernorm  3 passes (mean; variance; normalize) + layernorm.latency_cycles
//              + ceil(rows / lanes) * (exp_n + 1) * D (the Newton divides and DIV / k)
// and at least the SRAM cycles of its operands. In scalesim mode they take no time.
//
// Not modelled: overlap of a row's divides with the next row's passes (the dividers are
// iterative, not pipelined); the row buffer (a row is assumed to fit); fetching requant's
// per-channel (m, e) pairs (they stream beside the columns); layernorm's division of the row
// sum by the channel count (a per-layer constant) takes no divider time; rounding modes (both
// take the same time); bank conflicts between a unit's source and destination streams.
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

  std::int64_t& elements_;
};

}  // namespace intvit::sim
