#include "sim/units/requant_unit.h"

namespace intvit::sim {

RequantUnit::RequantUnit(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kRequant, ctx),
      elements_(ctx.stats.Counter("units.requant.elements", "tile elements processed")) {}

std::int64_t RequantUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic RequantUnit::Traffic(const isa::Instr& instr) const {
  return OperandSramTraffic(instr);
}

void RequantUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

}  // namespace intvit::sim
