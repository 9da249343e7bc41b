// Reports of a TLM run (out/<run>/): layers.csv (one row per Graph node), stats.json and
// stats.csv (every registered stat with its description), trace.json (Perfetto), and
// effective_config.json (written by the CLI, which knows the run options), plus the summary
// printed at the end of `intvit sim`.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "model/graph/graph.h"
#include "sim/top/simulate.h"

namespace intvit::sim {

// One row of layers.csv. m, n, k are 0 for non-GEMM nodes (written as empty fields). A node with
// no instructions (cls_concat, cls_select: views the compiler makes free) has cycles 0 and empty
// start and end. In detailed mode cycles = end_cycle - start_cycle: the span from the node's
// first instruction start to its last retirement (nodes overlap, so the column does not sum to
// the total). In scalesim mode cycles is the sum of the node's instruction cycles, which for a
// GEMM node is SCALE-Sim's Total Cycles of that layer. util_pct = 100 * macs / (R * C * cycles)
// for GEMM nodes (in scalesim mode: SCALE-Sim's Overall Util %).
struct LayerRow {
  std::string layer, op;
  std::int64_t m = 0, n = 0, k = 0;
  std::int64_t cycles = 0, start_cycle = -1, end_cycle = -1;
  std::int64_t macs = 0;
  double util_pct = 0;
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  std::int64_t instructions = 0;
  std::int64_t busy_cycles = 0;  // sum of the node's instruction cycles
  std::int64_t instr_macs = 0;   // MACs of the gemm instructions attributed to the node
  // busy_cycles split by the unit whose queue ran each instruction (isa::UnitOf).
  std::array<std::int64_t, isa::kNumUnits> unit_cycles{};
  double energy_uj = 0;          // energy of the node's instructions (SimResult::energy)
};

std::vector<LayerRow> LayerRows(const compiler::Program& p, const model::Graph& g,
                                const SimResult& r);
// Header "layer,op,M,N,K,cycles,start_cycle,end_cycle,macs,util_pct,dram_read_bytes,
// dram_write_bytes,cycles_load,cycles_store,cycles_array,...", one cycles_<unit> column per ISA
// unit in unit order (the node's busy cycles on that unit), then energy_uj, then one line
// per row. Readers take columns by name: more may be appended.
std::string LayersCsv(const std::vector<LayerRow>& rows);

// The printed summary: total cycles, latency at the clock, images/s, utilization of the array
// and of every unit, DRAM traffic, energy, and the bit-exact verdict.
std::string SummaryText(const compiler::Program& p, const model::Graph& g, const SimResult& r);

// Writes layers.csv, stats.json, stats.csv and (when recorded) trace.json into `dir`, which must
// exist. Throws InputError if a file cannot be written.
void WriteReports(const std::string& dir, const compiler::Program& p, const model::Graph& g,
                  const SimResult& r);

// A stat's value from SimResult::stats_json by dotted name (throws std::out_of_range).
nlohmann::json StatValue(const nlohmann::json& stats, const std::string& dotted);

}  // namespace intvit::sim
