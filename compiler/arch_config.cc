#include "compiler/arch_config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "compiler/config_dirs.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"

namespace intvit::compiler {
namespace {

using C = ArchConfig;

// An arch config is a few hundred bytes and nests 3 levels (sram.act.kib).
constexpr std::uint64_t kArchConfigMaxBytes = std::uint64_t{1} << 20;
constexpr int kArchConfigMaxDepth = 16;
using Field = ConfigField<C>;
namespace fs = std::filesystem;

// A field on a nested member, reached through `ref`.
template <class Ref>
Field Int(std::string key, std::string description, Ref ref, std::int64_t lo, std::int64_t hi) {
  return {key, std::move(description),
          [ref, key, lo, hi](C& c, const nlohmann::json& v, const std::string& where) {
            ref(c) = config_detail::ToInt(v, config_detail::Where(where, key), lo, hi);
          },
          [ref](const C& c) { return nlohmann::json(ref(const_cast<C&>(c))); }};
}

template <class Ref>
Field Choice(std::string key, std::string description, Ref ref, std::vector<std::string> choices) {
  return {key, std::move(description),
          [ref, key, choices](C& c, const nlohmann::json& v, const std::string& where) {
            ref(c) = config_detail::ToChoice(v, config_detail::Where(where, key), choices);
          },
          [ref](const C& c) { return nlohmann::json(ref(const_cast<C&>(c))); }};
}

void AddSram(std::vector<Field>& f, const std::string& name, SramConfig C::*member,
             const std::string& what) {
  const std::string p = "sram." + name + ".";
  f.push_back(Int(p + "kib", what + " SRAM size, KiB",
                  [member](C& c) -> std::int64_t& { return (c.*member).kib; }, 1, 1 << 20));
  f.push_back(Int(p + "banks", what + " SRAM banks (timing: parallel accesses)",
                  [member](C& c) -> std::int64_t& { return (c.*member).banks; }, 1, 1024));
  f.push_back(Int(p + "ports", what + " SRAM ports per bank (timing)",
                  [member](C& c) -> std::int64_t& { return (c.*member).ports; }, 1, 16));
}

void AddUnit(std::vector<Field>& f, const std::string& name, VectorUnitConfig C::*member,
             const std::string& what) {
  f.push_back(Int(name + ".lanes", what + ": elements per beat (RTL Lanes)",
                  [member](C& c) -> std::int64_t& { return (c.*member).lanes; }, 1, 256));
}

void AddRowUnit(std::vector<Field>& f, const std::string& name, RowUnitConfig C::*member,
                const std::string& what) {
  f.push_back(Int(name + ".lanes", what + ": elements per beat (RTL Lanes)",
                  [member](C& c) -> std::int64_t& { return (c.*member).lanes; }, 1, 256));
  f.push_back(Int(name + ".max_cols",
                  what + ": longest row its row buffer holds (RTL MaxCols); the compiler "
                         "refuses longer rows",
                  [member](C& c) -> std::int64_t& { return (c.*member).max_cols; }, 1, 65536));
}

std::vector<Field> MakeFields() {
  std::vector<Field> f;
  f.push_back({"name", "config name, shown in reports",
               [](C& c, const nlohmann::json& v, const std::string& where) {
                 Require(v.is_string() && !v.get<std::string>().empty() &&
                             v.get<std::string>().size() <= 64,
                         config_detail::Where(where, "name") +
                             " must be a non-empty string of at most 64 characters");
                 c.name = v.get<std::string>();
               },
               [](const C& c) { return nlohmann::json(c.name); }});
  f.push_back(Int("clock_mhz", "clock frequency, MHz (only converts cycles to time)",
                  [](C& c) -> std::int64_t& { return c.clock_mhz; }, 1, 100000));
  f.push_back(Int("array.rows", "systolic array rows R (the K side in ws)",
                  [](C& c) -> std::int64_t& { return c.array_rows; }, 1, 1024));
  f.push_back(Int("array.cols", "systolic array columns C (the N side in ws)",
                  [](C& c) -> std::int64_t& { return c.array_cols; }, 1, 1024));
  f.push_back(Int("array.tile_rows",
                  "PE rows per mesh tile TR (no register inside a tile); divides array.rows",
                  [](C& c) -> std::int64_t& { return c.array_tile_rows; }, 1, 1024));
  f.push_back(Int("array.tile_cols",
                  "PE columns per mesh tile TC (no register inside a tile); divides array.cols",
                  [](C& c) -> std::int64_t& { return c.array_tile_cols; }, 1, 1024));
  f.push_back(Choice("array.dataflow",
                     "ws | os (detailed timing); is only in the scalesim timing mode; values do "
                     "not depend on it",
                     [](C& c) -> std::string& { return c.dataflow; }, {"ws", "os", "is"}));
  AddSram(f, "act", &C::act, "activation (int8/int16/uint16 tiles)");
  AddSram(f, "wgt", &C::wgt, "weight (int8 GEMM B operands)");
  AddSram(f, "acc", &C::acc, "accumulator (int32 results, biases)");
  AddSram(f, "vec", &C::vec, "vector (int32/int64 intermediates, parameters)");
  f.push_back(Int("dram.bytes_per_cycle", "DRAM bandwidth, bytes per cycle",
                  [](C& c) -> std::int64_t& { return c.dram_bytes_per_cycle; }, 1, 4096));
  f.push_back(Int("dram.latency_cycles", "DRAM access latency, cycles",
                  [](C& c) -> std::int64_t& { return c.dram_latency_cycles; }, 0, 100000));
  f.push_back(Int("dma.queue_depth", "DMA requests in flight",
                  [](C& c) -> std::int64_t& { return c.dma_queue_depth; }, 1, 1024));
  f.push_back(Int("dma.max_burst_bytes", "largest DRAM burst of one DMA request, bytes",
                  [](C& c) -> std::int64_t& { return c.dma_max_burst_bytes; }, 1, 1 << 20));
  AddUnit(f, "requant", &C::requant, "RequantUnit");
  AddRowUnit(f, "shiftmax", &C::shiftmax, "ShiftmaxUnit");
  AddRowUnit(f, "gelu", &C::gelu, "GeluUnit");
  AddRowUnit(f, "layernorm", &C::layernorm, "LayerNormUnit");
  AddUnit(f, "add", &C::add, "AddUnit (only hand-written programs use it: the compiler folds "
                             "residual adds into requant)");
  f.push_back(Int("divider.bits_per_cycle",
                  "quotient bits per cycle of the row units' restoring dividers (RTL "
                  "DivStepsPerCycle): a 32-bit divide takes ceil(32 / bits) + 1 cycles",
                  [](C& c) -> std::int64_t& { return c.divider_bits_per_cycle; }, 1, 32));
  f.push_back(Int("controller.queue_depth", "instructions each unit queue holds",
                  [](C& c) -> std::int64_t& { return c.controller_queue_depth; }, 1, 1 << 20));
  const std::vector<std::string> impls = {"tlm", "rtl"};
  auto impl = [&](const std::string& unit, std::string ImplConfig::*m) {
    f.push_back(Choice("impl." + unit, "implementation of the " + unit + " unit: tlm | rtl",
                       [m](C& c) -> std::string& { return c.impl.*m; }, impls));
  };
  impl("array", &ImplConfig::array);
  impl("requant", &ImplConfig::requant);
  impl("shiftmax", &ImplConfig::shiftmax);
  impl("gelu", &ImplConfig::gelu);
  impl("layernorm", &ImplConfig::layernorm);
  impl("add", &ImplConfig::add);
  f.push_back({"energy.table",
               "technology table of per-event energies and area figures: a name in "
               "configs/energy (45nm, 16nm) or a JSON file (docs/energy.md)",
               [](C& c, const nlohmann::json& v, const std::string& where) {
                 Require(v.is_string() && !v.get<std::string>().empty() &&
                             v.get<std::string>().size() <= 4096 &&
                             v.get<std::string>().find('\0') == std::string::npos,
                         config_detail::Where(where, "energy.table") +
                             " must be a non-empty string (a table name or a file path)");
                 c.energy_table = v.get<std::string>();
               },
               [](const C& c) { return nlohmann::json(c.energy_table); }});
  return f;
}

}  // namespace

const SramConfig& ArchConfig::Sram(isa::Buffer b) const {
  switch (b) {
    case isa::Buffer::kAct: return act;
    case isa::Buffer::kWgt: return wgt;
    case isa::Buffer::kAcc: return acc;
    case isa::Buffer::kVec: return vec;
  }
  return act;
}

const std::vector<isa::Unit>& ImplConfig::Units() {
  static const std::vector<isa::Unit> units = {isa::Unit::kArray,    isa::Unit::kRequant,
                                               isa::Unit::kShiftmax, isa::Unit::kGelu,
                                               isa::Unit::kLayernorm, isa::Unit::kAdd};
  return units;
}

bool ImplConfig::IsRtl(isa::Unit unit) const {
  switch (unit) {
    case isa::Unit::kArray: return array == "rtl";
    case isa::Unit::kRequant: return requant == "rtl";
    case isa::Unit::kShiftmax: return shiftmax == "rtl";
    case isa::Unit::kGelu: return gelu == "rtl";
    case isa::Unit::kLayernorm: return layernorm == "rtl";
    case isa::Unit::kAdd: return add == "rtl";
    default: return false;
  }
}

bool ImplConfig::AnyRtl() const {
  for (isa::Unit u : Units()) {
    if (IsRtl(u)) return true;
  }
  return false;
}

const RowUnitConfig* ArchConfig::RowUnit(isa::Unit unit) const {
  switch (unit) {
    case isa::Unit::kShiftmax: return &shiftmax;
    case isa::Unit::kGelu: return &gelu;
    case isa::Unit::kLayernorm: return &layernorm;
    default: return nullptr;
  }
}

const std::vector<ConfigField<ArchConfig>>& ArchConfigFields() {
  static const std::vector<Field> fields = MakeFields();
  return fields;
}

ArchConfig ParseArchConfig(const nlohmann::json& j, const std::string& where) {
  ArchConfig c;
  ApplyConfigJson(c, ArchConfigFields(), j, where);
  ValidateArchConfig(c, where);
  return c;
}

nlohmann::json ArchConfigToJson(const ArchConfig& c) { return ConfigToJson(c, ArchConfigFields()); }

void ValidateArchConfig(const ArchConfig& c, const std::string& where) {
  // SRAM addresses are 32-bit instruction fields.
  for (auto b : {isa::Buffer::kAct, isa::Buffer::kWgt, isa::Buffer::kAcc, isa::Buffer::kVec}) {
    Require(c.SramBytes(b) <= (std::int64_t{1} << 32),
            where + ": sram." + std::string(isa::BufferName(b)) +
                ".kib exceeds the 32-bit SRAM address space");
  }
  Require(c.array_rows % c.array_tile_rows == 0,
          where + ": array.tile_rows = " + std::to_string(c.array_tile_rows) +
              " must divide array.rows = " + std::to_string(c.array_rows));
  Require(c.array_cols % c.array_tile_cols == 0,
          where + ": array.tile_cols = " + std::to_string(c.array_tile_cols) +
              " must divide array.cols = " + std::to_string(c.array_cols));
}

std::vector<std::string> ArchConfigNames() { return ShippedConfigNames("arch"); }

std::string ResolveArchConfigPath(const std::string& name_or_path) {
  std::error_code ec;
  // Anything that exists and is not a bare directory name goes to the reader, which names what
  // is wrong with it (a FIFO, a device, a directory given as a path).
  if (fs::exists(name_or_path, ec) &&
      (!fs::is_directory(name_or_path, ec) || name_or_path.find('/') != std::string::npos)) {
    return name_or_path;
  }
  if (name_or_path.find('/') == std::string::npos && !name_or_path.ends_with(".json")) {
    if (std::string p = FindShippedConfig("arch", name_or_path); !p.empty()) return p;
  }
  throw InputError("arch config '" + name_or_path + "' is neither a file nor a known name (" +
                   config_detail::KnownKeys(ArchConfigNames()) + ")");
}

ArchConfig ParseArchConfigText(const std::string& text, const std::string& where,
                               const std::vector<std::string>& overrides) {
  const nlohmann::json j = ParseStrictJson<nlohmann::json>(text, where, kArchConfigMaxDepth);
  ArchConfig c;
  ApplyConfigJson(c, ArchConfigFields(), j, where);
  for (const auto& o : overrides) ApplyConfigOverride(c, ArchConfigFields(), o);
  ValidateArchConfig(c, where);
  return c;
}

ArchConfig LoadArchConfig(const std::string& name_or_path,
                          const std::vector<std::string>& overrides) {
  const std::string path = ResolveArchConfigPath(name_or_path);
  return ParseArchConfigText(ReadUserFile(path, kArchConfigMaxBytes, "arch config"), path,
                             overrides);
}

}  // namespace intvit::compiler
