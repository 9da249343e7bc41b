// Every RTL unit at any parameters: the one factory the RTL backend (`intvit op check --impl
// rtl`) and the co-simulation use.
//
// A unit is one Verilated model kept for the object's lifetime: reset once when it is made, then
// every Run streams through it without a reset, so one VCD spans many Runs. Cycles are counted per
// Run, from its first cycle (the first input beat) to its last output beat, inclusive, exactly as
// ArrayCyclesFormula, RequantCyclesFormula, AddCyclesFormula and the row units' latencies say.
//
// The parameter sets Verilated by CMake ("prebuilt": arrays 4x4, 16x16, 8x8 with 2x2 tiles;
// requant and add at 16 lanes; the row units at 8 lanes, DivStepsPerCycle 4, MaxCols 4096) start
// at once. Any other set is Verilated on first use into a cache folder and loaded from there
// (testbench/dynamic/rtl_cache.h, docs/rtl.md "Any parameters: verilated on first use").
//
// Errors a user can cause throw intvit::InputError: parameters the RTL cannot take (naming the
// parameter and its legal range), and for a non-prebuilt set a missing Verilator, compiler or
// RTL source, or a cache folder that cannot be written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "testbench/array/array_unit.h"
#include "testbench/nonlinear/row_unit.h"
#include "testbench/rtl_unit_options.h"
#include "testbench/vector_units/vector_units.h"

namespace intvit::tb {

std::unique_ptr<ArrayUnit> MakeArrayUnit(const ArrayGeometry& g, const RtlUnitOptions& o = {});
std::unique_ptr<RequantUnit> MakeRequantUnit(int lanes, const RtlUnitOptions& o = {});
std::unique_ptr<AddUnit> MakeAddUnit(int lanes, const RtlUnitOptions& o = {});
std::unique_ptr<RowUnit> MakeRowUnit(RowKind k, const RowUnitShape& s, const RtlUnitOptions& o = {});

// The legal parameters; each throws InputError naming the parameter and its range.
//   array: rows, cols in [1, 1024], tile_rows in [1, rows] dividing rows, likewise tile_cols;
//   lanes in [1, 256]; row units: Lanes in [1, 256], DivStepsPerCycle in [1, 32] (ivit_udiv's
//   narrowest instance is 32 bits wide), MaxCols in [1, 2^20].
void CheckArrayGeometry(const ArrayGeometry& g);
void CheckLanes(const char* unit, int lanes);
void CheckRowUnitShape(RowKind k, const RowUnitShape& s);

// The prebuilt parameter sets (no Verilator needed at run time). With INTVIT_RTL_NO_PREBUILT=1
// in the environment there are none: every unit is Verilated on first use (for measurements).
std::vector<ArrayGeometry> BuiltArrayGeometries();
bool IsPrebuilt(const ArrayGeometry& g);
bool IsPrebuiltRequant(int lanes);
bool IsPrebuiltAdd(int lanes);
bool IsPrebuilt(RowKind k, const RowUnitShape& s);

}  // namespace intvit::tb
