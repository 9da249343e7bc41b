// TechTable: the per-event energies and the area figures of one technology node, read from
// configs/energy/<name>.json (docs/energy.md states the format, every figure's source and the
// formulas below). An ArchConfig names its table in `energy.table`. No SystemC here: the energy
// model, `intvit info --area` and the sweep use it without a simulation.
//
// A table is either a base table (every figure given, each with its source) or a derived one
// (`derived_from` a base table in the same folder, with `energy_factor` and `area_factor`
// multiplying every on-chip figure; DRAM, a separate chip, keeps the base table's energy).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compiler/arch_config.h"

namespace intvit::sim {

// Energy of one vector unit: per element of its instructions' tiles, per row (the row units'
// divides and square roots), and for requant per element of a residual operand.
struct UnitEnergy {
  double pj_per_element = 0;
  double pj_per_row = 0;
  double pj_per_residual_element = 0;
};

struct TechTable {
  std::string name;        // the table's "name"
  std::string path;        // the file it was read from
  double node_nm = 0;
  // ---- energy, pJ ----
  double mac_pj = 0;          // one int8 multiply with its int32 add
  double accumulator_pj = 0;  // one int32 partial-sum register update (one per MAC)
  double dram_pj_per_byte = 0;
  // SRAM read energy per byte of a single-ported bank of `kib` KiB: log-log interpolation of
  // these (kib, pJ/byte) points, sorted by kib; extrapolated with the end segments' slopes.
  std::vector<std::pair<double, double>> sram_read_pj_per_byte;
  double sram_write_factor = 1;          // write pJ/byte = read pJ/byte * this
  double sram_bank_overhead = 0;         // * (1 + this * log2(banks)): bank select and routing
  double sram_port_overhead = 0;         // * (1 + this * (ports - 1)): bigger cells, more lines
  std::map<std::string, UnitEnergy> units;  // by isa unit name: requant, shiftmax, gelu, ...
  // ---- area ----
  double nand2_um2 = 0;                           // one gate equivalent (GE)
  std::map<std::string, double> gate_equivalents;  // yosys cell type ("$_AND_") -> GE
  double logic_utilization = 1;                    // placed cell area / block area
  double sram_bitcell_um2 = 0;                     // single-port 6T bit cell
  // Cell area / macro area by bank KiB (log2-linear interpolation, clamped at the ends).
  std::vector<std::pair<double, double>> sram_array_efficiency;
  double sram_port_area_factor = 1;  // bit cell area * (1 + this * (ports - 1))
};

// A path to a JSON file, or the name of a shipped table ("45nm" finds configs/energy/45nm.json
// in $INTVIT_CONFIG_DIR/energy, ./configs/energy or the source tree). Throws InputError naming
// `field` (the arch config key that named it) and listing the known tables when nothing matches.
std::string ResolveTechTablePath(const std::string& name_or_path, const std::string& field);
std::vector<std::string> TechTableNames();

// Reads, validates (strict JSON, unknown keys, finite positive values in range; errors name
// the file and the key) and resolves `derived_from`. Cached per resolved path in the process.
const TechTable& LoadTechTable(const std::string& name_or_path,
                               const std::string& field = "energy.table");
// The table of `arch` (arch.energy_table).
const TechTable& TechTableOf(const compiler::ArchConfig& arch);

// pJ per byte read and written in an SRAM of `s`'s size, banks and ports (docs/energy.md):
//   read  = E(kib / banks) * (1 + bank_overhead * log2(banks)) * (1 + port_overhead * (ports-1))
//   write = read * write_factor
double SramReadPjPerByte(const TechTable& t, const compiler::SramConfig& s);
double SramWritePjPerByte(const TechTable& t, const compiler::SramConfig& s);

// Area of an SRAM of `s`, mm^2 (docs/energy.md):
//   bits * bitcell_um2 * (1 + port_area_factor * (ports - 1)) / efficiency(kib / banks) / 1e6
double SramAreaMm2(const TechTable& t, const compiler::SramConfig& s);
// The same for `bytes` (a row unit's row buffer) in `banks` banks of `ports` ports.
double SramAreaMm2(const TechTable& t, double bytes, double banks, double ports);

}  // namespace intvit::sim
