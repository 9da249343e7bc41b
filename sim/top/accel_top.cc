#include "sim/top/accel_top.h"

#include <array>
#include <stdexcept>
#include <tlm>

#include "sim/common/asan_stack.h"

namespace intvit::sim {

AccelTop::AccelTop(const sc_core::sc_module_name& name, const compiler::ArchConfig& arch,
                   const std::vector<isa::Instr>& program, DataPath& data,
                   const TopOptions& options)
    : sc_core::sc_module(name),
      clock_(arch.clock_mhz),
      trace_(options.trace, arch.clock_mhz),
      records_(program.size()),
      events_(program.size()),
      ctx_{arch,
           options.mode,
           clock_,
           program,
           data,
           stats_,
           trace_,
           records_,
           events_,
           options.gemm_cycles,
           options.layer_names,
           options.instr_names,
           nullptr},
      total_cycles_(
          stats_.Counter("total_cycles", "cycles from the first issue to the last retirement")),
      controller("controller", ctx_),
      dram("dram", ctx_),
      act("act", isa::Buffer::kAct, ctx_),
      wgt("wgt", isa::Buffer::kWgt, ctx_),
      acc("acc", isa::Buffer::kAcc, ctx_),
      vec("vec", isa::Buffer::kVec, ctx_),
      load("load", isa::Unit::kLoad, ctx_),
      store("store", isa::Unit::kStore, ctx_),
      array("array", ctx_),
      requant("requant", isa::Unit::kRequant, ctx_),
      shiftmax("shiftmax", isa::Unit::kShiftmax, ctx_),
      gelu("gelu", isa::Unit::kGelu, ctx_),
      layernorm("layernorm", isa::Unit::kLayernorm, ctx_),
      add("add", isa::Unit::kAdd, ctx_) {
  tlm::tlm_global_quantum::instance().set(clock_.Cycles(options.quantum_cycles));
  QueuedUnit* units[isa::kNumUnits] = {&load,     &store, &array,     &requant,
                                       &shiftmax, &gelu,  &layernorm, &add};
  for (int u = 0; u < isa::kNumUnits; ++u) {
    units[u]->cmd.bind(controller.queues[static_cast<std::size_t>(u)]);
    units[u]->tokens.bind(controller);
  }
  for (Dma* dma : {&load, &store}) {
    dma->dram.bind(dram.tgt);
    for (int b = 0; b < isa::kNumBuffers; ++b) {
      dma->sram[static_cast<std::size_t>(b)].bind(sram(static_cast<isa::Buffer>(b)).dma_tgt);
    }
  }
  for (ComputeUnit* cu :
       std::initializer_list<ComputeUnit*>{&array, &requant, &shiftmax, &gelu, &layernorm, &add}) {
    for (int b = 0; b < isa::kNumBuffers; ++b) {
      cu->sram[static_cast<std::size_t>(b)].bind(sram(static_cast<isa::Buffer>(b)));
    }
  }
  stats_.Set("clock_mhz", "clock frequency, MHz", arch.clock_mhz);
  stats_.Set("timing_mode", "detailed or scalesim", std::string(TimingModeName(options.mode)));
  stats_.Set("program.instructions", "instructions in the program",
             static_cast<std::int64_t>(program.size()));
  std::array<std::int64_t, isa::kNumOpcodeIds> per_opcode{};
  for (const isa::Instr& in : program) {
    if (in.opcode < per_opcode.size()) ++per_opcode[in.opcode];
  }
  for (std::size_t op = 0; op < per_opcode.size(); ++op) {
    stats_.Set("program.opcodes." + std::string(isa::OpcodeName(static_cast<isa::Opcode>(op))),
               "instructions of this opcode in the program", per_opcode[op]);
  }
}

Sram& AccelTop::sram(isa::Buffer b) {
  switch (b) {
    case isa::Buffer::kAct:
      return act;
    case isa::Buffer::kWgt:
      return wgt;
    case isa::Buffer::kAcc:
      return acc;
    case isa::Buffer::kVec:
      return vec;
  }
  return act;
}

void AccelTop::Run(const std::function<void(std::int64_t)>& progress, std::int64_t slice_cycles) {
  if (!progress) {
    sc_core::sc_start();
    RestoreAsanMainStack();
  } else {
    // Simulate in slices so that the caller can print progress; same result as one sc_start.
    do {
      sc_core::sc_start(clock_.Cycles(slice_cycles));
      RestoreAsanMainStack();
      progress(controller.retired_total());
    } while (!ctx_.error && sc_core::sc_pending_activity());
  }
  if (ctx_.error) std::rethrow_exception(ctx_.error);
  std::int64_t end = 0;
  for (const InstrRecord& r : records_) end = std::max(end, r.end);
  total_cycles_ = end;
  if (controller.retired_total() != static_cast<std::int64_t>(ctx_.program.size())) {
    std::string stuck;
    for (int u = 0; u < isa::kNumUnits; ++u) {
      const auto unit = static_cast<isa::Unit>(u);
      if (controller.Retired(unit) < controller.ProgramCount(unit)) {
        stuck += " " + std::string(isa::UnitName(unit)) + " " +
                 std::to_string(controller.Retired(unit)) + "/" +
                 std::to_string(controller.ProgramCount(unit));
      }
    }
    throw std::runtime_error(
        "the simulation stopped before the program finished (deadlock in "
        "the dependency tokens?); retired/total per unit:" +
        stuck);
  }
}

}  // namespace intvit::sim
