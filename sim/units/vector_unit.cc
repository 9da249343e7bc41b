#include "sim/units/vector_unit.h"

#include <string>

#include "model/common/error.h"

namespace intvit::sim {
namespace {

isa::Unit CheckedVectorUnit(isa::Unit unit) {
  Require(unit != isa::Unit::kLoad && unit != isa::Unit::kStore && unit != isa::Unit::kArray,
          "VectorUnit: " + std::string(isa::UnitName(unit)) + " is not a vector unit");
  return unit;
}

}  // namespace

VectorUnit::VectorUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx)
    : ComputeUnit(name, CheckedVectorUnit(unit), ctx),
      elements_(ctx.stats.Counter("units." + std::string(isa::UnitName(unit)) + ".elements",
                                  "tile elements processed")) {}

std::int64_t VectorUnit::ComputeCycles(const isa::Instr& instr) const {
  return DetailedVector(ctx_.arch, instr).cycles;
}

SramTraffic VectorUnit::Traffic(const isa::Instr& instr) const {
  return OperandSramTraffic(instr);
}

void VectorUnit::Count(const isa::Instr& instr) {
  elements_ += static_cast<std::int64_t>(instr.rows * instr.cols);
}

void VectorUnit::CountEvents(const isa::Instr& instr, InstrEvents& events) const {
  const auto elements = static_cast<std::int64_t>(instr.rows * instr.cols);
  events.elements += elements;
  events.rows += static_cast<std::int64_t>(instr.rows);
  if (static_cast<isa::Opcode>(instr.opcode) == isa::Opcode::kRequant && instr.residual) {
    events.residual_elements += elements;
  }
}

}  // namespace intvit::sim
