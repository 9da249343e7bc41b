#include "sim/units/queued_unit.h"

#include "compiler/isa/codec.h"

namespace intvit::sim {
namespace {
std::string Key(isa::Unit u, const char* leaf) {
  return "units." + std::string(isa::UnitName(u)) + "." + leaf;
}
}  // namespace

QueuedUnit::QueuedUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx)
    : sc_core::sc_module(name),
      cmd(("ctrl2" + std::string(isa::UnitName(unit)) + "_cmd").c_str()),
      tokens((std::string(isa::UnitName(unit)) + "2ctrl_tok").c_str()),
      ctx_(ctx),
      unit_(unit),
      instructions_(ctx.stats.Counter(Key(unit, "instructions"), "instructions this unit retired")),
      busy_(ctx.stats.Counter(Key(unit, "busy_cycles"), "cycles spent executing instructions")),
      stall_(ctx.stats.Counter(Key(unit, "stall_cycles"),
                               "cycles an instruction waited at the head of the queue for its "
                               "dependency tokens")) {
  track_ = ctx.trace.Track(unit == isa::Unit::kLoad    ? "load (DMA queue)"
                           : unit == isa::Unit::kStore ? "store (DMA queue)"
                                                       : unit_name());
  StatsRegistry& s = ctx.stats;
  const std::int64_t* busy = &busy_;
  const std::int64_t* stall = &stall_;
  s.Formula(
      Key(unit, "idle_cycles"), "cycles with no instruction at the head of the queue",
      [busy, stall, &s] { return s.Value("total_cycles").get<std::int64_t>() - *busy - *stall; });
  s.Formula(Key(unit, "utilization"), "busy_cycles / total_cycles", [busy, &s] {
    const auto total = s.Value("total_cycles").get<std::int64_t>();
    return total > 0 ? static_cast<double>(*busy) / static_cast<double>(total) : 0.0;
  });
  SC_HAS_PROCESS(QueuedUnit);
  SC_THREAD(Thread);
}

std::string QueuedUnit::TraceArgs(const isa::Instr&) const { return {}; }

void QueuedUnit::WaitTokens(const isa::Instr& in) {
  const std::uint64_t units[3] = {in.wait0_unit, in.wait1_unit, in.wait2_unit};
  const std::uint64_t counts[3] = {in.wait0_count, in.wait1_count, in.wait2_count};
  for (int k = 0; k < 3; ++k) {
    if (units[k] == isa::kNoWaitUnit) continue;
    const auto u = static_cast<isa::Unit>(units[k]);
    while (tokens->Retired(u) < static_cast<std::int64_t>(counts[k])) {
      wait(tokens->RetireEvent(u));
    }
  }
}

void QueuedUnit::WaitForOthersToDrain() {
  for (int u = 0; u < isa::kNumUnits; ++u) {
    const auto unit = static_cast<isa::Unit>(u);
    if (unit == unit_) continue;
    while (tokens->Retired(unit) < tokens->ProgramCount(unit)) wait(tokens->RetireEvent(unit));
  }
}

void QueuedUnit::Thread() {
  try {
    while (true) {
      const Dispatch d = cmd.read();
      // The Controller may issue ahead of simulated time; the instruction arrives at its cycle.
      const std::int64_t arrive = std::max(ctx_.clock.Now(), d.cycle);
      if (arrive > ctx_.clock.Now()) wait(ctx_.clock.Cycles(arrive - ctx_.clock.Now()));
      InstrRecord& rec = ctx_.records[d.index];
      rec.dispatch = d.cycle;
      rec.head = arrive;
      const isa::Instr& in = ctx_.program[d.index];
      WaitTokens(in);
      const auto op = static_cast<isa::Opcode>(in.opcode);
      if (op == isa::Opcode::kFinish) WaitForOthersToDrain();
      const std::int64_t start = ctx_.clock.Now();
      stall_ += start - arrive;
      rec.start = start;
      std::int64_t hold = 0;
      if (op != isa::Opcode::kSync && op != isa::Opcode::kNop && op != isa::Opcode::kFinish) {
        hold = Execute(in, d.index);
      }
      if (hold > 0) wait(ctx_.clock.Cycles(hold));
      const std::int64_t end = ctx_.clock.Now();
      rec.end = end;
      busy_ += end - start;
      ++instructions_;
      if (ctx_.trace.enabled() && end > start) {
        std::string args = "\"index\":" + std::to_string(d.index) + ",\"layer\":\"" +
                           JsonEscape(ctx_.LayerName(in.layer)) + "\",\"node\":\"" +
                           JsonEscape(ctx_.InstrName(d.index)) + "\"";
        const std::string waits = isa::WaitsText(in);
        if (!waits.empty()) args += ",\"waits\":\"" + JsonEscape(waits) + "\"";
        const std::string extra = TraceArgs(in);
        if (!extra.empty()) args += "," + extra;
        ctx_.trace.Complete(track_,
                            std::string(isa::OpcodeName(in.opcode)) + " " + ctx_.InstrName(d.index),
                            start, end - start, std::move(args));
      }
      tokens->Retire(unit_);
    }
  } catch (const sc_core::sc_unwind_exception&) {
    throw;  // the kernel is killing or resetting this process
  } catch (...) {
    ctx_.Fail(std::current_exception());
  }
}

}  // namespace intvit::sim
