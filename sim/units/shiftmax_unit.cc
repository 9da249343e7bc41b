#include "sim/units/shiftmax_unit.h"

namespace intvit::sim {

ShiftmaxUnit::ShiftmaxUnit(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kShiftmax, ctx),
      elements_(ctx.stats.Counter("units.shiftmax.elements", "tile elements processed")) {}

std::int64_t ShiftmaxUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic ShiftmaxUnit::Traffic(const isa::Instr& instr) const {
  return OperandSramTraffic(instr);
}

void ShiftmaxUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

}  // namespace intvit::sim
