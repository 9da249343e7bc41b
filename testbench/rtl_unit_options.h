// How an RTL unit is made (testbench/rtl_units.h): its waveform. A header of its own so that code
// which also includes SystemC (the co-simulation's callers) can name it without verilated.h.
#pragma once

#include <cstdint>
#include <string>

namespace intvit::tb {

struct RtlUnitOptions {
  std::string wave_path;             // VCD of this unit ("" = none)
  std::int64_t wave_from = 0;        // only cycles [wave_from, wave_to] of the time line are
  std::int64_t wave_to = INT64_MAX;  // dumped (SetTimeBase places Runs on it)
};

}  // namespace intvit::tb
