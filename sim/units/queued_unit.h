// QueuedUnit: the part every unit shares. It pops instructions from its in-order queue
// (ctrl2<unit>_cmd, a bounded FIFO filled by the Controller), waits until every (unit, count)
// dependency token of the instruction is met, lets the concrete unit execute it, holds the
// unit for the cycles that returns, and retires it on the Controller's scoreboard. `sync` and
// `nop` only wait; `finish` also waits until every other unit has retired its whole program.
//
// Time accounting per unit: busy (executing), stall (an instruction is at the head of the
// queue but its waits are not met), idle (the rest of the run).
//
// Not modelled: instruction decode time inside the unit (0 cycles), issue of a second
// instruction before the first retires (a unit runs one instruction at a time).
#pragma once

#include <cstdint>
#include <string>
#include <systemc>

#include "sim/units/interfaces.h"
#include "sim/units/sim_context.h"

namespace intvit::sim {

class QueuedUnit : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<Dispatch> cmd;      // ctrl2<unit>_cmd
  sc_core::sc_port<ScoreboardIf> tokens;  // <unit>2ctrl_tok

  isa::Unit unit() const { return unit_; }
  std::string unit_name() const { return std::string(isa::UnitName(unit_)); }
  const std::int64_t& busy_cycles() const { return busy_; }

 protected:
  QueuedUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx);
  // Runs one instruction whose waits are met; returns the cycles it still holds the unit for.
  // A unit that consumes simulated time itself (the DMA) returns what is left, usually 0.
  virtual std::int64_t Execute(const isa::Instr& instr, std::size_t index) = 0;
  // Extra key/values for the trace event of an instruction (JSON object body), or "".
  virtual std::string TraceArgs(const isa::Instr& instr) const;

  SimContext& ctx_;

 private:
  void Thread();
  void WaitTokens(const isa::Instr& instr);
  void WaitForOthersToDrain();

  isa::Unit unit_;
  int track_ = -1;
  std::int64_t& instructions_;
  std::int64_t& busy_;
  std::int64_t& stall_;
};

}  // namespace intvit::sim
