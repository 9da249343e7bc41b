// Simulate: one TLM run of a compiled Program on an image, end to end. It prepares the DRAM
// (the program's image with the input written in), builds the AccelTop, runs it, checks every
// DRAM tensor the program declares against the GoldenTrace, and collects what the reports need.
// SystemC elaborates once per process, so call it once per process.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "model/exec/run_reference.h"
#include "model/graph/graph.h"
#include "model/tensor/tensor.h"
#include "sim/common/trace.h"
#include "sim/energy/energy_model.h"
#include "sim/isa/executor.h"
#include "sim/isa/machine.h"
#include "sim/timing/timing_model.h"
#include "sim/units/sim_context.h"

namespace intvit::sim {

struct SimOptions {
  TimingMode mode = TimingMode::kDetailed;
  bool trace = false;
  std::int64_t quantum_cycles = 100;
  // Test hook for the bit check: flip a bit of what this compute instruction writes (-1: none).
  std::int64_t fault_instr = -1;
  // Called now and then with (instructions retired, program size) while the model runs.
  std::function<void(std::int64_t, std::int64_t)> progress;
  // Co-simulation: the data path to run the program with, made from the run's Machine and each
  // instruction's graph node (the caller owns it). Unset: the functional executor's.
  std::function<DataPath&(Machine&, const std::vector<int>& instr_node)> datapath;
};

struct SimResult {
  std::int64_t total_cycles = 0;
  std::int64_t clock_mhz = 0;
  std::vector<InstrRecord> records;  // by program index
  std::vector<int> instr_node;       // Graph node of each instruction (-1: none), from the program
  std::vector<InstrEvents> events;   // by program index: what each instruction did (energy)
  EnergyReport energy;               // the events at the arch's energy.table (docs/energy.md)
  // The StatsRegistry, evaluated after the run, plus "energy": EnergyJson(energy).
  nlohmann::json stats_json;
  std::string stats_csv;  // the registry's rows, then energy.total_uj and energy.<component>_uj
  TraceWriter trace{false, 1};
  CheckReport check;         // bit-exactness against the golden trace
  double sim_seconds = 0;    // wall time of the SystemC run (sc_start)
  double check_seconds = 0;  // wall time of the bit check
};

// scalesim mode: the cycles of each gemm instruction. Each GEMM node gets SCALE-Sim's total
// cycles for its full M, N, K (ScalesimCompute) and its gemm instructions share them in
// proportion to their MACs (the last one takes the rounding remainder).
std::vector<std::int64_t> ScalesimGemmCycles(const compiler::Program& p, const model::Graph& g,
                                             const std::vector<int>& instr_node);

// The Graph node of each instruction (-1: none), as the compiler recorded it
// (compiler::Program::instr_node); throws InputError if the program does not record one per
// instruction or names a node the graph does not have.
std::vector<int> InstructionNodes(const compiler::Program& p, const model::Graph& g);

// The program's DRAM image with `image` in its input region; throws InputError if the image
// does not have the input's dtype and shape.
std::vector<std::uint8_t> DramWithInput(const compiler::Program& p, const model::Tensor& image);

SimResult Simulate(const compiler::Program& p, const model::Graph& g, const model::Tensor& image,
                   const model::GoldenTrace& golden, const SimOptions& options);

}  // namespace intvit::sim
