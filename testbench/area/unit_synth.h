// Cell counts of one RTL unit at given parameters, from yosys generic synthesis (docs/energy.md,
// "Area"), synthesized on first use and cached on disk.
//
// Synthesis keeps the hierarchy (`synth -top X`, no -flatten): a module instantiated many times
// with the same parameters (the array's tile and PE) is synthesized once, and `stat` multiplies
// its counts by its instance count. Row units stop before memory mapping (`-run begin:fine`, then
// techmap and abc), so their row buffer stays one $mem cell whose bits are priced as SRAM.
//
// Cache: <rtl cache folder>/area-<unit>-<params>-<key>.json, the key hashing the recipe, the top,
// the parameters, every RTL source's content and `yosys -V`. A file is written whole (rename)
// under an flock, so concurrent processes synthesizing the same key wait for each other.
// Environment: INTVIT_YOSYS (the yosys to run; default `yosys` on PATH); INTVIT_RTL_CACHE and
// the other cache variables of testbench/dynamic/rtl_cache.h.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace intvit::tb::area {

struct SynthSpec {
  std::string kind;                 // "array", "requant", "add", "shiftmax", "gelu", "layernorm"
  std::string top;                  // "ivit_array"
  std::vector<std::string> params;  // {"R=8", "C=8", ...}
  bool keep_memory = false;         // row units: stop before memory mapping
};

struct CellCounts {
  std::map<std::string, std::int64_t> cells;  // yosys cell type -> count, whole hierarchy
  double synth_seconds = 0;                    // yosys wall time when it was synthesized
  double synth_cpu_seconds = 0;                // yosys CPU time (user + system) then
  bool from_cache = false;                     // true when this call read the cache
  std::string cache_file;
};

// Reads the cache or runs yosys. Throws InputError when yosys is missing (naming the package
// and INTVIT_YOSYS), an RTL source is missing or the cache folder cannot be written, and
// std::runtime_error when yosys fails (with the end of its log).
CellCounts SynthesizeCounts(const SynthSpec& spec);

// The cell counts of the whole design from the text of yosys `stat`: the "design hierarchy"
// totals when the design has submodules, else the one module's counts. Throws
// std::runtime_error when the text has neither.
std::map<std::string, std::int64_t> ParseYosysStat(const std::string& text);

// `yosys -V`, or InputError when yosys is not installed.
std::string YosysVersion();

}  // namespace intvit::tb::area
