// MachineDataPath: the DataPath of the timed model backed by the functional executor's Machine
// (sim/isa): its byte arrays are the DRAM and SRAM contents, and ExecuteInstruction computes
// each compute instruction's data (model/ arithmetic). The Machine must outlive the model and
// its arrays must not be resized while it runs.
#pragma once

#include "sim/isa/machine.h"
#include "sim/units/datapath.h"

namespace intvit::sim {

class MachineDataPath : public DataPath {
 public:
  // `fault_index` >= 0 injects a fault for tests of the bit check: after that instruction
  // computes, bit 6 of the first byte it wrote is flipped.
  explicit MachineDataPath(Machine& m, std::int64_t fault_index = -1)
      : m_(m), fault_index_(fault_index) {}
  std::span<std::uint8_t> Memory(isa::Space s) override { return m_.memory(s); }
  std::optional<std::int64_t> Compute(const isa::Instr& instr, std::size_t index,
                                      std::int64_t) override {
    ExecuteInstruction(instr, m_, index);
    if (static_cast<std::int64_t>(index) != fault_index_) return std::nullopt;
    for (const isa::Operand& op : isa::OperandsOf(instr)) {
      if (op.write && !op.Empty()) {
        m_.memory(op.space)[op.addr] ^= 0x40;
        break;
      }
    }
    return std::nullopt;
  }

 private:
  Machine& m_;
  std::int64_t fault_index_;
};

}  // namespace intvit::sim
