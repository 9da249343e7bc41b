// LayerNormUnit: I-LayerNorm rows (mean pass, variance pass, a Newton isqrt of exp_n
// divides and DIV / k per row, a normalize pass).
// Detailed timing (docs/timing.md, DetailedVector in sim/timing/timing_model.h):
//   3 passes + layernorm.latency_cycles
//     + ceil(rows / lanes) * (exp_n + 1) * divider.latency_cycles
// where one pass is rows * ceil(cols / layernorm.lanes) beats and each lane owns an iterative
// divider; at least the SRAM cycles of its operands. In scalesim mode it takes no time.
//
// Not modelled: the division of the row sum by the channel count (a per-layer constant) takes no
// divider time; overlap of a row's divide chain with the next row's passes.
#pragma once

#include "sim/units/compute_unit.h"

namespace intvit::sim {

class LayerNormUnit : public ComputeUnit {
 public:
  LayerNormUnit(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  std::int64_t ComputeCycles(const isa::Instr& instr) const override;
  SramTraffic Traffic(const isa::Instr& instr) const override;
  void Count(const isa::Instr& instr) override;

  std::int64_t& elements_;
};

}  // namespace intvit::sim
