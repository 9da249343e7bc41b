// CosimDataPath: the DataPath of a co-simulation (docs/cosim.md). The TLM model (sim/) runs the
// Program as usual; each compute instruction of a unit selected for RTL runs on that unit's
// Verilated model through its transactor (transactors.h), at the simulated moment the TLM unit
// executes it, and the unit is held for the cycles the RTL took. The RTL's tile is written into
// the SRAM model, so later instructions consume what the RTL produced.
//
// Every RTL instruction is checked: the functional executor (sim/isa, model/ arithmetic)
// computes the same instruction on the same operands, and the two destination tiles must be
// equal element for element. The first mismatch is kept with the instruction, unit, layer,
// graph node, element and both values; the run goes on, and the caller exits 1.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "sim/isa/machine.h"
#include "sim/units/datapath.h"
#include "testbench/cosim/transactors.h"

namespace intvit::tb {

struct CosimOptions {
  // Test hook: flip bit 6 of the first byte of what the RTL returns for this instruction
  // (or, on a TLM unit, of what it writes), so the checks can be seen to work (-1: none).
  std::int64_t fault_instr = -1;
};

struct CosimCycles {
  std::int64_t instructions = 0;
  std::int64_t tlm_cycles = 0;  // the TLM formula's compute cycles (sim/timing/unit_cycles.h)
  std::int64_t rtl_cycles = 0;  // the Verilated unit's
  double rtl_seconds = 0;       // wall time spent in the unit's RTL
};

struct CosimMismatch {
  std::size_t instr = 0;
  std::string unit, layer, node;
  std::string tile;               // "act[0x1200..) 197 x 64 int32" : where the instruction writes
  std::int64_t row = 0, col = 0;  // the element within the destination tile
  std::int64_t expected = 0, actual = 0;
  std::int64_t differing = 0, elements = 0;  // in this instruction's tile
  std::int64_t cycle = 0;                    // simulated cycle the instruction started
  std::string Text() const;
};

class CosimDataPath final : public sim::DataPath {
 public:
  // `node_names[i]`: the graph node instruction i works for ("" if none); `units`: the
  // transactors of the units on RTL (MakeRtlTransactors), made before the run so that a unit
  // Verilated on first use is built once and outside the run's time.
  CosimDataPath(sim::Machine& m, const compiler::Program& p, std::vector<std::string> node_names,
                RtlTransactors units, const CosimOptions& options);
  ~CosimDataPath() override;

  std::span<std::uint8_t> Memory(isa::Space s) override { return m_.memory(s); }
  std::optional<std::int64_t> Compute(const isa::Instr& instr, std::size_t index,
                                      std::int64_t cycle) override;

  // Per unit name, and per (layer, unit).
  const std::map<std::string, CosimCycles>& units() const { return units_; }
  const std::map<std::pair<std::string, std::string>, CosimCycles>& layers() const {
    return layers_;
  }
  std::int64_t mismatched_instructions() const { return mismatched_; }
  const std::optional<CosimMismatch>& first_mismatch() const { return first_; }
  // What runs on RTL, per unit name ("ivit_array 16x16").
  const std::map<std::string, std::string>& Descriptions() const { return descriptions_; }
  // Closes the waveforms (they are complete only after this, or the destructor).
  void CloseWaves();

 private:
  sim::Machine& m_;
  const compiler::Program& p_;
  std::vector<std::string> node_names_;
  CosimOptions options_;
  RtlTransactors units_rtl_;
  std::map<std::string, std::string> descriptions_;
  std::map<std::string, CosimCycles> units_;
  std::map<std::pair<std::string, std::string>, CosimCycles> layers_;
  std::int64_t mismatched_ = 0;
  std::optional<CosimMismatch> first_;
};

}  // namespace intvit::tb
