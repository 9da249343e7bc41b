// ArchConfig: every knob of the accelerator (ARCHITECTURE.md "Accelerator"). Parsed strictly
// from configs/arch/*.json (unknown keys and out-of-range values are InputErrors naming the
// file and key), overridable with `-p key.path=value`, described by `intvit info --arch`.
// The defaults are base16.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/isa/isa_generated.h"
#include "model/common/config_fields.h"

namespace intvit::compiler {

struct SramConfig {
  std::int64_t kib = 128;
  std::int64_t banks = 8;
  std::int64_t ports = 2;
  std::int64_t bytes() const { return kib * 1024; }
};

// A streaming vector unit (requant, add): elements per beat. Its pipeline depth is the RTL's
// (sim/timing/unit_cycles.h), not a knob.
struct VectorUnitConfig {
  std::int64_t lanes = 16;
};

// A row unit (shiftmax, gelu, layernorm): elements per beat and the longest row its row buffer
// holds. Each is built as rtl/nonlinear/ivit_<unit>.sv with Lanes, MaxCols and
// DivStepsPerCycle = divider.bits_per_cycle.
struct RowUnitConfig {
  std::int64_t lanes = 8;
  std::int64_t max_cols = 4096;
};

// Which implementation backs a compute unit in the TLM model: "tlm" (SystemC, calls model/) or
// "rtl" (Verilated, co-simulation).
struct ImplConfig {
  std::string array = "tlm";
  std::string requant = "tlm";
  std::string shiftmax = "tlm";
  std::string gelu = "tlm";
  std::string layernorm = "tlm";
  std::string add = "tlm";

  // The units that have an RTL implementation, by isa::UnitName: array, requant, shiftmax,
  // gelu, layernorm, add.
  static const std::vector<isa::Unit>& Units();
  // True when `unit` runs on its RTL (false for load, store and the units without RTL).
  bool IsRtl(isa::Unit unit) const;
  bool AnyRtl() const;
};

struct ArchConfig {
  std::string name = "base16";
  std::int64_t clock_mhz = 500;
  std::int64_t array_rows = 16;
  std::int64_t array_cols = 16;
  // The mesh's tiles (rtl/array/ivit_tile.sv): TR x TC PEs with no register between them, so
  // the pipeline has R / TR + C / TC stages.
  std::int64_t array_tile_rows = 1;
  std::int64_t array_tile_cols = 1;
  // "ws" (weight-stationary) or "os" (output-stationary) for the detailed timing; "is" only for
  // the scalesim timing mode. Values (the compiler, the executor) do not depend on it.
  std::string dataflow = "ws";
  SramConfig act{256, 8, 2};
  SramConfig wgt{256, 8, 1};
  SramConfig acc{128, 8, 2};
  SramConfig vec{128, 4, 2};
  std::int64_t dram_bytes_per_cycle = 16;
  std::int64_t dram_latency_cycles = 100;
  std::int64_t dma_queue_depth = 8;
  std::int64_t dma_max_burst_bytes = 256;
  VectorUnitConfig requant{16};
  RowUnitConfig shiftmax{8, 4096};
  RowUnitConfig gelu{8, 4096};
  RowUnitConfig layernorm{8, 4096};
  VectorUnitConfig add{16};
  // Quotient bits the row units' restoring dividers form per cycle (ivit_udiv StepsPerCycle).
  std::int64_t divider_bits_per_cycle = 4;
  std::int64_t controller_queue_depth = 16;
  ImplConfig impl;
  // The technology table of per-event energies and area figures (docs/energy.md): a name in
  // configs/energy ("45nm") or a path to a JSON file. Read by the energy and area models.
  std::string energy_table = "45nm";

  const SramConfig& Sram(isa::Buffer b) const;
  std::int64_t SramBytes(isa::Buffer b) const { return Sram(b).bytes(); }
  // True for the "is" dataflow, which only the scalesim timing mode models.
  bool DataflowIsScalesimOnly() const { return dataflow == "is"; }
  // The row unit that runs `unit` (kShiftmax, kGelu, kLayernorm); nullptr for the others.
  const RowUnitConfig* RowUnit(isa::Unit unit) const;
};

const std::vector<ConfigField<ArchConfig>>& ArchConfigFields();

// Applies `j` over the defaults (base16); unknown keys, wrong types and out-of-range values are
// InputErrors naming `where` and the key.
ArchConfig ParseArchConfig(const nlohmann::json& j, const std::string& where);
nlohmann::json ArchConfigToJson(const ArchConfig& c);
void ValidateArchConfig(const ArchConfig& c, const std::string& where);

// A path to a JSON file, or the name of a shipped config ("base16" finds configs/arch/base16.json
// in $INTVIT_CONFIG_DIR/arch, ./configs/arch or the source tree). Throws InputError listing the
// known names when nothing matches.
std::string ResolveArchConfigPath(const std::string& name_or_path);
std::vector<std::string> ArchConfigNames();  // names of the shipped configs
// Parses the text of a config file (strict JSON), applies the `key=value` overrides in order,
// and validates; `where` (the file) starts every message. LoadArchConfig's parser, and the
// fuzz harness's entry point (tests/fuzz/arch_config_fuzz.cc).
ArchConfig ParseArchConfigText(const std::string& text, const std::string& where,
                               const std::vector<std::string>& overrides = {});
// Resolves, reads (ReadUserFile, capped), then ParseArchConfigText.
ArchConfig LoadArchConfig(const std::string& name_or_path,
                          const std::vector<std::string>& overrides = {});

}  // namespace intvit::compiler
