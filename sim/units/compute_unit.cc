#include "sim/units/compute_unit.h"

#include <algorithm>

namespace intvit::sim {

ComputeUnit::ComputeUnit(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx)
    : QueuedUnit(name, unit, ctx),
      sram("sram", isa::kNumBuffers,
           [unit](const char*, std::size_t b) {
             return new sc_core::sc_port<SramIf>(
                 (std::string(isa::UnitName(unit)) + "2" +
                  std::string(isa::BufferName(static_cast<isa::Buffer>(b))) + "_rw")
                     .c_str());
           }),
      sram_bound_(
          ctx.stats.Counter("units." + std::string(isa::UnitName(unit)) + ".sram_bound_cycles",
                            "cycles added because an SRAM buffer's banks and ports "
                            "could not keep up with the computation")) {}

std::int64_t ComputeUnit::Execute(const isa::Instr& instr, std::size_t index) {
  const std::optional<std::int64_t> rtl = ctx_.data.Compute(instr, index, ctx_.clock.Now());
  Count(instr);
  const SramTraffic t = Traffic(instr);
  InstrEvents& events = ctx_.events[index];
  CountEvents(instr, events);
  std::int64_t sram_cycles = 0;
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    events.sram_read[b] += t.read[b];
    events.sram_write[b] += t.write[b];
    if (t.read[b] == 0 && t.write[b] == 0) continue;
    sram_cycles = std::max(sram_cycles, sram[b]->Access(t.read[b], t.write[b]));
  }
  if (ctx_.mode == TimingMode::kScalesim) {
    // Compute-only GEMM cycles: only the array takes time, from the per-layer table.
    if (static_cast<isa::Opcode>(instr.opcode) != isa::Opcode::kGemm) return 0;
    return index < ctx_.gemm_cycles.size() ? ctx_.gemm_cycles[index] : 0;
  }
  // Co-simulation: the unit is held for the cycles its RTL took, not the formula's.
  const std::int64_t compute = rtl ? *rtl : ComputeCycles(instr);
  if (sram_cycles > compute) sram_bound_ += sram_cycles - compute;
  return std::max(compute, sram_cycles);
}

}  // namespace intvit::sim
