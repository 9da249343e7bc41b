// RTL units Verilated on first use (docs/rtl.md, "Any parameters: verilated on first use").
//
// A unit whose parameters were not Verilated by CMake is built at run time: `verilator --cc` with
// the arguments of intvit_verilate_unit (testbench/CMakeLists.txt), one compile of the generated
// C++ and of a small shim (testbench/dynamic/<unit>_shim.cc, instantiating the same driver
// template as the prebuilt units), linked with a Verilator runtime compiled once into the cache,
// into a shared object that is dlopen'ed (RTLD_NOW | RTLD_LOCAL). The object is linked with
// -fvisibility=hidden and -Bsymbolic, so its runtime never mixes with the one in this binary.
//
// Cache: $INTVIT_RTL_CACHE, else $XDG_CACHE_HOME/intvit/rtl, else $HOME/.cache/intvit/rtl; one
// folder per key, the key hashing the unit, its parameters, every RTL source it uses (and the
// generated ISA package), the driver sources (every header under testbench/ and model/, the
// shim, isa_generated.h), `verilator --version`, the compiler and its flags. Folders are built
// under a temporary name and renamed into place while holding a lock file (flock), so processes
// building the same key wait for each other; a failed build leaves nothing behind.
//
// Environment: INTVIT_VERILATOR (the verilator to run; default `verilator` on PATH), INTVIT_CXX
// (default the compiler intvit was built with), INTVIT_RTL_JOBS (parallel compiles, default 2).
#pragma once

#include <string>
#include <vector>

#include "testbench/dynamic/shim_abi.h"

namespace intvit::tb::dynamic {

// One unit to build: the top module, its -G parameters, the shim and its extra -D definitions.
struct UnitSpec {
  std::string kind;                  // "array", "requant", "add", "shiftmax", "gelu", "layernorm"
  std::string top;                   // "ivit_array"
  std::vector<std::string> params;   // {"R=8", "C=4", ...}
  std::vector<std::string> defines;  // extra -D for the shim, e.g. "IVIT_LANES=4"
};

// Builds the unit if its cache folder is missing, loads it and calls its factory; the result is
// the factory's void* (see shim_abi.h). Throws InputError for what a user can fix (no Verilator,
// no compiler, missing RTL sources, a cache folder that cannot be written) and
// std::runtime_error if Verilator or the compiler fails (with the end of their output).
void* MakeUnit(const UnitSpec& spec, const ShimArgs& args);

// The cache folder the environment selects (not created).
std::string CacheDir();

// A cache folder's stem for the unit: its kind and parameters, "array-R8-C4-TR1-TC1".
std::string FolderStem(const UnitSpec& spec);

// The RTL sources of a unit, in read order: `kind` "array", "requant", "add", or a row unit
// ("shiftmax", "gelu", "layernorm") whose module is `top`. Throws InputError naming a missing one.
std::vector<std::string> UnitSources(const std::string& kind, const std::string& top);

}  // namespace intvit::tb::dynamic
