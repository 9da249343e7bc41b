// The functional machine: DRAM and the four SRAMs as byte arrays, and the semantics of every
// opcode on them. ExecuteInstruction is the one definition of what an instruction does to
// memory; the sequential executor (executor.h) and the SystemC model call it per instruction.
//
// Not modelled here: time, queues, banks, ports. Waits are the driver's business.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "compiler/isa/operands.h"
#include "model/ops/gemm_isa.h"

namespace intvit::sim {

class Machine {
 public:
  // SRAM sizes from `arch`; DRAM is `dram` (the program's image, possibly with the input).
  Machine(const compiler::ArchConfig& arch, std::vector<std::uint8_t> dram);

  std::vector<std::uint8_t>& memory(isa::Space s) { return mem_[static_cast<int>(s)]; }
  const std::vector<std::uint8_t>& memory(isa::Space s) const { return mem_[static_cast<int>(s)]; }
  std::vector<std::uint8_t>& dram() { return memory(isa::Space::kDram); }
  const std::vector<std::uint8_t>& dram() const { return memory(isa::Space::kDram); }

  // Multiply-accumulates done by gemm instructions so far.
  std::uint64_t macs = 0;

  // The host kernels requant instructions run on, resolved once here (INTVIT_GEMM_ISA or the
  // CPU's best) rather than per instruction: a DeiT program has tens of thousands of them.
  model::GemmIsa host_isa = model::BestGemmIsa();

 private:
  std::array<std::vector<std::uint8_t>, isa::kNumSpaces> mem_;
};

// Computes one instruction on `m`: the arithmetic of the golden op of the same name, on the
// tile gathered from SRAM (docs/isa.md). Throws InputError, naming `index`, the opcode, the
// memory and the byte range, when an operand lies outside its memory; and when the operands
// are not legal for the op (element types, parameters, an int32 accumulator overflow).
// nop, sync and finish do nothing to memory.
void ExecuteInstruction(const isa::Instr& instr, Machine& m, std::size_t index = 0);

// Throws the out-of-bounds InputError of ExecuteInstruction without executing.
void CheckOperandBounds(const isa::Instr& instr, const Machine& m, std::size_t index);

}  // namespace intvit::sim
