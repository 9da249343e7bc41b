#include "sim/units/sim_context.h"

#include <systemc>

namespace intvit::sim {

void SimContext::Fail(std::exception_ptr e) {
  if (!error) error = std::move(e);
  sc_core::sc_stop();
}

}  // namespace intvit::sim
