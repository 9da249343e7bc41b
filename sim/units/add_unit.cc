#include "sim/units/add_unit.h"

namespace intvit::sim {

AddUnit::AddUnit(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kAdd, ctx),
      elements_(ctx.stats.Counter("units.add.elements", "tile elements processed")) {}

std::int64_t AddUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic AddUnit::Traffic(const isa::Instr& instr) const { return OperandSramTraffic(instr); }

void AddUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

}  // namespace intvit::sim
