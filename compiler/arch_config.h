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

struct VectorUnitConfig {
  std::int64_t lanes = 16;
  std::int64_t latency_cycles = 4;
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
};

struct ArchConfig {
  std::string name = "base16";
  std::int64_t clock_mhz = 500;
  std::int64_t array_rows = 16;
  std::int64_t array_cols = 16;
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
  VectorUnitConfig requant{16, 4};
  VectorUnitConfig shiftmax{16, 6};
  VectorUnitConfig gelu{16, 6};
  VectorUnitConfig layernorm{16, 6};
  VectorUnitConfig add{16, 1};
  std::int64_t divider_latency_cycles = 16;
  std::int64_t controller_queue_depth = 16;
  ImplConfig impl;

  const SramConfig& Sram(isa::Buffer b) const;
  std::int64_t SramBytes(isa::Buffer b) const { return Sram(b).bytes(); }
  // True for the "is" dataflow, which only the scalesim timing mode models.
  bool DataflowIsScalesimOnly() const { return dataflow == "is"; }
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
// Resolves, reads, parses, applies the `key=value` overrides in order, and validates.
ArchConfig LoadArchConfig(const std::string& name_or_path,
                          const std::vector<std::string>& overrides = {});

}  // namespace intvit::compiler
