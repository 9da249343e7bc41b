// The area model (docs/energy.md, "Area"): the logic of each unit from yosys cell counts of its
// RTL at the machine's parameters (the -G parameters co-simulation uses), converted to mm^2 with
// the gate equivalents of the machine's TechTable (energy.table), plus each SRAM buffer from the
// table's size/banks/ports formula and each row unit's row buffer priced the same way.
//
// Lanes: a unit with more lanes than SynthLanesLimit(unit) is synthesized at 1 and 2 lanes and
// its cells extrapolated linearly, cells(L) = c1 + (L - 1) (c2 - c1) per cell type (its lanes
// are identical copies inside one module, so yosys cannot share their synthesis as it does the
// array's PEs). The array is always synthesized at its exact geometry.
//
// Components: array, requant, shiftmax, gelu, layernorm, add, sram_act, sram_wgt, sram_acc,
// sram_vec. Not modelled: the controller, the DMA engines, wiring between units, I/O, the clock
// tree; the units' area is standard-cell logic at the table's utilization.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "testbench/area/unit_synth.h"

namespace intvit::tb::area {

// One synthesized unit of the report.
struct UnitArea {
  std::string component;            // "array", "requant", ...
  std::string top;                  // "ivit_array"
  std::string params;               // "R=16 C=16 TR=1 TC=1"
  std::string synthesized;          // how: "exact" or "lanes 1, 2 extrapolated to 16"
  double cells = 0;                 // logic cells (memory excluded), extrapolated if so
  double gate_equivalents = 0;
  double logic_mm2 = 0;
  std::int64_t memory_bits = 0;     // row buffer
  double memory_mm2 = 0;
  double synth_seconds = 0;         // yosys wall time when synthesized (cached or now)
  double synth_cpu_seconds = 0;     // yosys CPU time then
  bool from_cache = true;           // every synthesis it needed was in the cache
};

struct AreaReport {
  std::string table;                               // TechTable name
  double total_mm2 = 0;
  std::map<std::string, double> by_component_mm2;  // every component, summing to total_mm2
  std::vector<UnitArea> units;                     // logic units, in component order
};

// Units with at most this many lanes are synthesized exactly (add: always).
std::int64_t SynthLanesLimit(const std::string& unit);

// Synthesizes what the cache lacks (InputError if yosys is missing or the table is bad).
// `synth` gives a unit's cell counts (tests pass counts of their own).
using Synthesizer = std::function<CellCounts(const SynthSpec&)>;
AreaReport EstimateArea(const compiler::ArchConfig& arch,
                        const Synthesizer& synth = SynthesizeCounts);

// {"total_mm2": x, "by_component": {"array": .., "sram_act": .., ...}, "table": name}
nlohmann::json AreaJson(const AreaReport& r);

// The table `intvit info --arch A --area` prints.
std::string AreaText(const AreaReport& r);

}  // namespace intvit::tb::area
