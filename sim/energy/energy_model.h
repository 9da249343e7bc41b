// The energy model (docs/energy.md): the TLM counts events per instruction (InstrEvents, filled
// by the units as they run), and the energy of a run is the events times the per-event energies
// of the machine's TechTable, summed by component and by graph node (layer). No SystemC here.
//
// Components: mac, accumulator, sram_<buffer> for each SRAM buffer (act, wgt, acc, vec), dram,
// and one per vector unit by its isa name (requant, shiftmax, gelu, layernorm, add). All are
// always present (0 when unused), so every run's report has the same keys.
//
// Not modelled: leakage and clock-tree power, the controller, the DMA engines' logic, the wires
// between units and SRAMs, the weight loads inside the array (counted as wgt SRAM reads only),
// data-dependent switching (every event costs its table figure whatever the values).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "sim/energy/tech_table.h"

namespace intvit::sim {

// What one instruction did, as the TLM units report it.
struct InstrEvents {
  std::int64_t macs = 0;  // gemm: M*N*K (each also one accumulator update)
  std::array<std::int64_t, isa::kNumBuffers> sram_read{}, sram_write{};  // bytes, by isa::Buffer
  std::int64_t dram_read = 0, dram_write = 0;                            // bytes
  // Vector instructions: tile elements and rows on the instruction's unit, and for requant the
  // elements of the residual operand.
  std::int64_t elements = 0, rows = 0, residual_elements = 0;
};

// The component names, in report order.
const std::vector<std::string>& EnergyComponents();

struct LayerEnergy {
  std::string layer;
  double uj = 0;
  std::map<std::string, double> by_component_uj;
};

struct EnergyReport {
  std::string table;
  double total_uj = 0;
  std::map<std::string, double> by_component_uj;
  // One entry per graph node, in graph order (the rows of layers.csv), then "(none)" if any
  // instruction without a node spent energy.
  std::vector<LayerEnergy> by_layer;
};

// The energy of each component spent by one instruction, pJ (indexed like EnergyComponents()).
std::vector<double> InstrEnergyPj(const TechTable& t, const compiler::ArchConfig& arch,
                                  const isa::Instr& instr, const InstrEvents& e);

// Sums the instructions' energies. instr_node[i] is instruction i's graph node (-1: none) and
// node_names the graph's node names.
EnergyReport ComputeEnergy(const TechTable& t, const compiler::ArchConfig& arch,
                           const std::vector<isa::Instr>& instrs,
                           const std::vector<InstrEvents>& events,
                           const std::vector<int>& instr_node,
                           const std::vector<std::string>& node_names);

// {"table": name, "total_uj": x, "by_component": {...}, "by_layer": [{"layer", "uj",
// "by_component"}, ...]} (the "energy" object of stats.json).
nlohmann::json EnergyJson(const EnergyReport& r);

// stats.csv rows (name,value,description): energy.total_uj, then energy.<component>_uj.
std::string EnergyCsvRows(const EnergyReport& r);

}  // namespace intvit::sim
