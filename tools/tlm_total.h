// The total cycles of a Program with every unit on its TLM formula, simulated in a child
// process (SystemC elaborates once per process, and a co-simulation needs its own run).
#pragma once

#include <cstdint>

#include "compiler/program.h"
#include "model/exec/run_reference.h"
#include "model/graph/graph.h"
#include "model/tensor/tensor.h"

namespace intvit::tools {

// Throws InputError with the child's message if its run fails.
std::int64_t TlmTotalCycles(const compiler::Program& p, const model::Graph& g,
                            const model::Tensor& image, const model::GoldenTrace& golden,
                            std::int64_t quantum_cycles);

}  // namespace intvit::tools
