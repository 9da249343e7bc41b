#include "sim/units/controller.h"

#include <algorithm>

#include "compiler/isa/codec.h"

namespace intvit::sim {

Controller::Controller(const sc_core::sc_module_name& name, SimContext& ctx)
    : sc_core::sc_module(name),
      queues(
          "queue", isa::kNumUnits,
          [&ctx](const char*, std::size_t u) {
            return new sc_core::sc_fifo<Dispatch>(
                ("ctrl2" + std::string(isa::UnitName(static_cast<isa::Unit>(u))) + "_cmd").c_str(),
                static_cast<int>(ctx.arch.controller_queue_depth));
          }),
      ctx_(ctx),
      issued_(ctx.stats.Counter("controller.instructions", "instructions issued to unit queues")),
      issue_stall_(ctx.stats.Counter("controller.issue_stall_cycles",
                                     "cycles the Controller waited on a full unit queue")) {
  for (const isa::Instr& in : ctx.program) {
    ++program_count_[static_cast<std::size_t>(isa::UnitOf(in))];
  }
  SC_HAS_PROCESS(Controller);
  SC_THREAD(Thread);
}

std::int64_t Controller::Retired(isa::Unit u) const {
  return retired_[static_cast<std::size_t>(u)];
}

const sc_core::sc_event& Controller::RetireEvent(isa::Unit u) const {
  return retire_events_[static_cast<std::size_t>(u)];
}

void Controller::Retire(isa::Unit u) {
  ++retired_[static_cast<std::size_t>(u)];
  ++retired_total_;
  retire_events_[static_cast<std::size_t>(u)].notify(sc_core::SC_ZERO_TIME);
}

std::int64_t Controller::ProgramCount(isa::Unit u) const {
  return program_count_[static_cast<std::size_t>(u)];
}

void Controller::Thread() {
  try {
    const Clock& clk = ctx_.clock;
    std::int64_t next_issue = clk.Now();
    for (std::size_t i = 0; i < ctx_.program.size(); ++i) {
      const auto u = static_cast<std::size_t>(isa::UnitOf(ctx_.program[i]));
      Dispatch d{static_cast<std::uint32_t>(i), std::max(next_issue, clk.Now())};
      while (!queues[u].nb_write(d)) {
        const std::int64_t planned = d.cycle;
        wait(queues[u].data_read_event());
        d.cycle = std::max(planned, clk.Now());
        issue_stall_ += d.cycle - planned;
      }
      // One instruction per cycle; the compute-only scalesim mode issues in no time.
      next_issue = d.cycle + (ctx_.mode == TimingMode::kDetailed ? 1 : 0);
      ++issued_;
    }
  } catch (const sc_core::sc_unwind_exception&) {
    throw;
  } catch (...) {
    ctx_.Fail(std::current_exception());
  }
}

}  // namespace intvit::sim
