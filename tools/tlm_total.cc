#include "tools/tlm_total.h"

#include <cstdio>
#include <string>

#include "model/common/error.h"
#include "sim/common/run_in_child.h"
#include "sim/top/simulate.h"

namespace intvit::tools {

std::int64_t TlmTotalCycles(const compiler::Program& p, const model::Graph& g,
                            const model::Tensor& image, const model::GoldenTrace& golden,
                            std::int64_t quantum_cycles) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::string out;
  try {
    out = sim::RunInChild([&] {
      sim::SimOptions o;
      o.quantum_cycles = quantum_cycles;
      return std::to_string(sim::Simulate(p, g, image, golden, o).total_cycles);
    });
  } catch (const std::runtime_error& e) {
    throw InputError(std::string("the TLM reference run failed: ") + e.what());
  }
  return std::stoll(out);
}

}  // namespace intvit::tools
