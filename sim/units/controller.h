// Controller: fetches the Program in order and issues each instruction into the bounded
// in-order queue of its unit (ctrl2<unit>_cmd, controller.queue_depth entries), at most one
// instruction per cycle. A full queue blocks the Controller (head-of-line blocking, as in VTA).
// It also keeps the scoreboard of dependency tokens: a retire counter and a retire event per
// unit (ScoreboardIf), which the units wait on.
//
// Progress is guaranteed for any program whose waits point to earlier instructions (docs/isa.md):
// the oldest unretired instruction is always at the head of its queue with its waits met.
//
// Not modelled: instruction fetch traffic (the program is assumed to sit in an instruction
// memory), decode time, branch or loop instructions (the ISA has none).
#pragma once

#include <array>
#include <cstdint>
#include <systemc>

#include "sim/units/interfaces.h"
#include "sim/units/sim_context.h"

namespace intvit::sim {

class Controller : public sc_core::sc_module, public ScoreboardIf {
 public:
  sc_core::sc_vector<sc_core::sc_fifo<Dispatch>> queues;  // ctrl2<unit>_cmd, by isa::Unit

  Controller(const sc_core::sc_module_name& name, SimContext& ctx);

  std::int64_t Retired(isa::Unit unit) const override;
  const sc_core::sc_event& RetireEvent(isa::Unit unit) const override;
  void Retire(isa::Unit unit) override;
  std::int64_t ProgramCount(isa::Unit unit) const override;

  std::int64_t retired_total() const { return retired_total_; }

 private:
  void Thread();

  SimContext& ctx_;
  std::array<std::int64_t, isa::kNumUnits> retired_{};
  std::array<std::int64_t, isa::kNumUnits> program_count_{};
  std::array<sc_core::sc_event, isa::kNumUnits> retire_events_;
  std::int64_t retired_total_ = 0;
  std::int64_t& issued_;
  std::int64_t& issue_stall_;
};

}  // namespace intvit::sim
