// SimContext: what every module of one AccelTop shares, passed into constructors (never a
// global): the configuration, the program, the data path, the clock, and the sinks for records,
// stats and trace events. AccelTop owns everything it points to.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "sim/common/clock.h"
#include "sim/common/stats.h"
#include "sim/common/trace.h"
#include "sim/energy/energy_model.h"
#include "sim/timing/timing_model.h"
#include "sim/units/datapath.h"

namespace intvit::sim {

// When one instruction ran, in cycles: issued by the Controller, reached the head of its unit's
// queue (the unit was free), started (its waits were met), ended (retired).
struct InstrRecord {
  std::int64_t dispatch = -1, head = -1, start = -1, end = -1;
};

struct SimContext {
  const compiler::ArchConfig& arch;
  TimingMode mode;
  const Clock& clock;
  const std::vector<isa::Instr>& program;
  DataPath& data;
  StatsRegistry& stats;
  TraceWriter& trace;
  std::vector<InstrRecord>& records;
  // The energy events of each instruction, by program index (docs/energy.md): the units add
  // what they do as they run.
  std::vector<InstrEvents>& events;
  // scalesim mode: the cycles of each gemm instruction, by program index (docs/timing.md).
  std::vector<std::int64_t> gemm_cycles;
  // Names of the instructions' `layer` groups, for trace events (may be empty).
  std::vector<std::string> layer_names;
  // The graph node each instruction works for, by program index (may be empty).
  std::vector<std::string> instr_names;
  // The first exception a process raised; the process stops the simulation after storing it.
  std::exception_ptr error;

  std::string LayerName(std::uint64_t layer) const {
    return layer < layer_names.size() ? layer_names[layer] : "layer " + std::to_string(layer);
  }
  // The most specific name of what instruction `index` works for: its graph node, else its
  // layer group.
  std::string InstrName(std::size_t index) const {
    if (index < instr_names.size() && !instr_names[index].empty()) return instr_names[index];
    return LayerName(program[index].layer);
  }
  // Stores the first error and stops the simulation.
  void Fail(std::exception_ptr e);
};

}  // namespace intvit::sim
