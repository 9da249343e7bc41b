// ComputeUnit: a unit that computes on SRAM tiles (the array and the vector units). For each
// instruction it asks the data path for the bits (model/ arithmetic via the executor), reports
// the instruction's SRAM traffic on its four SRAM ports (<unit>2act_rw, <unit>2wgt_rw,
// <unit>2acc_rw, <unit>2vec_rw), and holds the unit for max(compute cycles, SRAM cycles) (docs/timing.md). The
// concrete unit only supplies the compute cycles and the traffic.
//
// Not modelled: contention between units for the same SRAM bank in the same cycle (each unit
// sees the full bandwidth of the buffer), overlap of consecutive instructions in one unit.
#pragma once

#include <cstdint>
#include <systemc>

#include "sim/units/queued_unit.h"

namespace intvit::sim {

class ComputeUnit : public QueuedUnit {
 public:
  sc_core::sc_vector<sc_core::sc_port<SramIf>> sram;  // indexed by isa::Buffer

 protected:
  ComputeUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx);
  // Cycles of the instruction's computation alone (detailed mode).
  virtual std::int64_t ComputeCycles(const isa::Instr& instr) const = 0;
  // Bytes the instruction moves in each SRAM buffer.
  virtual SramTraffic Traffic(const isa::Instr& instr) const = 0;
  // Called after the data of an instruction is computed (per-unit counters).
  virtual void Count(const isa::Instr&) {}
  // Adds the instruction's energy events other than SRAM traffic (MACs, elements, rows).
  virtual void CountEvents(const isa::Instr& instr, InstrEvents& events) const = 0;

 private:
  std::int64_t Execute(const isa::Instr& instr, std::size_t index) final;
  std::int64_t& sram_bound_;
};

}  // namespace intvit::sim
