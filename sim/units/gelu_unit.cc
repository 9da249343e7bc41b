#include "sim/units/gelu_unit.h"

namespace intvit::sim {

GeluUnit::GeluUnit(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kGelu, ctx),
      elements_(ctx.stats.Counter("units.gelu.elements", "tile elements processed")) {}

std::int64_t GeluUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic GeluUnit::Traffic(const isa::Instr& instr) const { return OperandSramTraffic(instr); }

void GeluUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

}  // namespace intvit::sim
