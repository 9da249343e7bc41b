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
  explicit MachineDataPath(Machine& m) : m_(m) {}
  std::span<std::uint8_t> Memory(isa::Space s) override { return m_.memory(s); }
  void Compute(const isa::Instr& instr, std::size_t index) override {
    ExecuteInstruction(instr, m_, index);
  }

 private:
  Machine& m_;
};

}  // namespace intvit::sim
