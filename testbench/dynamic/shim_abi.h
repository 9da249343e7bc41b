// What the host (testbench/dynamic/rtl_cache.cc) passes to the factory of a unit Verilated at
// run time, and the factory's name. Plain data and std types only: the shared object holds its
// own Verilator runtime and calls no function of intvit's libraries. Any change to this header
// changes the cache key (every header under testbench/ is hashed), so host and object agree.
#pragma once

#include "testbench/array/array_unit.h"
#include "testbench/common/verilated_unit.h"
#include "testbench/nonlinear/unit_ports.h"

namespace intvit::tb {

struct ShimArgs {
  ArrayGeometry array;  // array units
  int lanes = 0;        // requant and add units
  RowUnitShape row;     // row units
  WaveOptions wave;
};

// extern "C" void* intvit_rtl_make_unit(const ShimArgs*): a new unit, as a pointer to its
// interface (ArrayUnit*, RequantUnit*, AddUnit* or RowUnit*) cast to void*. Owned by the caller.
inline constexpr const char* kShimFactory = "intvit_rtl_make_unit";

}  // namespace intvit::tb

#define INTVIT_SHIM_EXPORT extern "C" __attribute__((visibility("default")))
