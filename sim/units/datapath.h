// DataPath: what the timed model needs from the functional executor (sim/isa). The SystemC
// modules own time and never numerics: a compute unit calls Compute() for the data of an
// instruction at the simulated moment it executes it, and the Dram, Sram and Dma modules move
// load/store bytes through TLM payloads into the same memories. In co-simulation the data path
// runs some units' instructions on their RTL (testbench/cosim) and reports the RTL's cycles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "compiler/isa/isa_generated.h"
#include "compiler/isa/operands.h"

namespace intvit::sim {

class DataPath {
 public:
  virtual ~DataPath() = default;
  // The bytes of DRAM or of one SRAM buffer.
  virtual std::span<std::uint8_t> Memory(isa::Space space) = 0;
  // Computes the data of one compute instruction (gemm, requant, shiftmax, gelu, layernorm,
  // add), which starts at simulated cycle `cycle`; throws (naming the instruction) on an operand
  // outside its buffer. Returns the cycles the unit took when a model of the hardware computed
  // it (co-simulation: the RTL's cycles), or nullopt when the timing formula applies.
  virtual std::optional<std::int64_t> Compute(const isa::Instr& instr, std::size_t index,
                                              std::int64_t cycle) = 0;
};

}  // namespace intvit::sim
