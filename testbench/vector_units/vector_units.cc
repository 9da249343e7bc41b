#include "testbench/vector_units/vector_units.h"

namespace intvit::tb {

std::int64_t RequantCyclesFormula(std::int64_t elements, std::int64_t channels, int lanes) {
  // The formulas' one home is sim/timing/unit_cycles.h (the TLM model charges them too).
  if (elements == 0) return 0;
  return sim::RequantCycles(lanes, elements / channels, channels);
}

std::int64_t AddCyclesFormula(std::int64_t elements, int lanes) {
  return sim::AddCycles(lanes, elements);
}

}  // namespace intvit::tb
