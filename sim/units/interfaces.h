// The SystemC interfaces between the units: the Controller's scoreboard of retired
// instructions (dependency tokens, docs/isa.md) and the SRAM traffic port of a compute unit.
#pragma once

#include <cstdint>
#include <ostream>
#include <systemc>

#include "compiler/isa/isa_generated.h"

namespace intvit::sim {

// An instruction handed from the Controller to a unit queue: its program index and the cycle
// the Controller issued it (the Controller issues at most one instruction per cycle).
struct Dispatch {
  std::uint32_t index = 0;
  std::int64_t cycle = 0;
};
inline std::ostream& operator<<(std::ostream& os, const Dispatch& d) {
  return os << "instr " << d.index << " @" << d.cycle;
}

// Retire counters per unit; an instruction may start once every (unit, count) it waits on has
// Retired(unit) >= count.
class ScoreboardIf : public virtual sc_core::sc_interface {
 public:
  virtual std::int64_t Retired(isa::Unit unit) const = 0;
  virtual const sc_core::sc_event& RetireEvent(isa::Unit unit) const = 0;
  virtual void Retire(isa::Unit unit) = 0;
  // How many instructions of the program run on `unit` (for `finish`).
  virtual std::int64_t ProgramCount(isa::Unit unit) const = 0;
};

// A compute unit's view of one SRAM buffer: it reports the bytes an instruction moves and gets
// back the cycles the buffer's banks and ports need for them.
class SramIf : public virtual sc_core::sc_interface {
 public:
  virtual std::int64_t Access(std::int64_t read_bytes, std::int64_t write_bytes) = 0;
};

}  // namespace intvit::sim
