// AccelTop: owns and binds every module of the accelerator (STYLE.md: one top, like the
// Accellera lt_top). Structure:
//
//   Controller --ctrl2<unit>_cmd (bounded FIFOs)--> load, store (Dma), array, requant,
//              <--<unit>2ctrl_tok (scoreboard)----  shiftmax, gelu, layernorm, add
//   load/store Dma --<unit>2dram (TLM LT)--> Dram
//                  --<unit>2<buffer> (TLM LT)--> Sram act, wgt, acc, vec
//   compute units --<unit>2<buffer>_rw (SramIf)--> Sram act, wgt, acc, vec
//
// It also owns what the modules share (SimContext: clock, stats, trace, records). Build it,
// call Run() once, then read the results. Only one AccelTop can be elaborated per process
// (a SystemC kernel limit).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "compiler/arch_config.h"
#include "sim/units/controller.h"
#include "sim/units/dma.h"
#include "sim/units/dram.h"
#include "sim/units/sram.h"
#include "sim/units/systolic_array.h"
#include "sim/units/vector_unit.h"

namespace intvit::sim {

struct TopOptions {
  TimingMode mode = TimingMode::kDetailed;
  bool trace = false;
  // The LT global quantum: how far a DMA queue may run ahead of simulated time, cycles.
  std::int64_t quantum_cycles = 100;
  std::vector<std::string> layer_names;   // by instruction `layer`, for trace events
  std::vector<std::string> instr_names;   // graph node of each instruction, for trace events
  std::vector<std::int64_t> gemm_cycles;  // scalesim mode: cycles per gemm, by program index
};

class AccelTop : public sc_core::sc_module {
 public:
  AccelTop(const sc_core::sc_module_name& name, const compiler::ArchConfig& arch,
           const std::vector<isa::Instr>& program, DataPath& data, const TopOptions& options);

  // Runs the program to the end. Rethrows the first error a module raised; throws
  // std::runtime_error naming the stuck units if the simulation ran out of events before every
  // instruction retired. Sets the total_cycles stat.
  // `progress` (optional) is called with the number of retired instructions every
  // `slice_cycles` simulated cycles.
  void Run(const std::function<void(std::int64_t)>& progress = {},
           std::int64_t slice_cycles = 200000);

  std::int64_t total_cycles() const { return total_cycles_; }
  StatsRegistry& stats() { return stats_; }
  TraceWriter& trace() { return trace_; }
  const std::vector<InstrRecord>& records() const { return records_; }
  const std::vector<InstrEvents>& events() const { return events_; }
  const Clock& clock() const { return clock_; }

 private:
  Clock clock_;
  StatsRegistry stats_;
  TraceWriter trace_;
  std::vector<InstrRecord> records_;
  std::vector<InstrEvents> events_;
  SimContext ctx_;
  std::int64_t& total_cycles_;

 public:
  Controller controller;
  Dram dram;
  Sram act, wgt, acc, vec;
  Dma load, store;
  SystolicArray array;
  VectorUnit requant, shiftmax, gelu, layernorm, add;

  Sram& sram(isa::Buffer b);
};

}  // namespace intvit::sim
