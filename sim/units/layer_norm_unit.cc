#include "sim/units/layer_norm_unit.h"

namespace intvit::sim {

LayerNormUnit::LayerNormUnit(const sc_core::sc_module_name& name, SimContext& ctx)
    : ComputeUnit(name, isa::Unit::kLayernorm, ctx),
      elements_(ctx.stats.Counter("units.layernorm.elements", "tile elements processed")) {}

std::int64_t LayerNormUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic LayerNormUnit::Traffic(const isa::Instr& instr) const {
  return OperandSramTraffic(instr);
}

void LayerNormUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

}  // namespace intvit::sim
