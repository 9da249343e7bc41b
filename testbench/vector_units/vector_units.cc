#include "testbench/vector_units/vector_units.h"

namespace intvit::tb {
namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

std::int64_t RequantCyclesFormula(std::int64_t elements, std::int64_t channels, int lanes) {
  if (elements == 0) return 0;
  return elements / channels * CeilDiv(channels, lanes) + kRequantLatency;
}

std::int64_t AddCyclesFormula(std::int64_t elements, int lanes) {
  if (elements == 0) return 0;
  return CeilDiv(elements, lanes) + kAddLatency;
}

}  // namespace intvit::tb
