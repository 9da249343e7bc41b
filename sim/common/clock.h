// Clock: the one place where cycles become SystemC time and back (STYLE.md: latencies are in
// cycles in the config and converted in one place). Every module counts in cycles; SystemC time
// is always a whole number of clock periods.
//
// The period is round(10^6 / clock_mhz) picoseconds (2000 ps at 500 MHz). For clocks whose
// period is not a whole number of picoseconds the SystemC timestamps are off by that rounding,
// but cycle counts are exact and reported times use clock_mhz directly (Seconds()).
#pragma once

#include <cstdint>
#include <systemc>

namespace intvit::sim {

class Clock {
 public:
  explicit Clock(std::int64_t clock_mhz);

  std::int64_t mhz() const { return mhz_; }
  const sc_core::sc_time& period() const { return period_; }

  sc_core::sc_time Cycles(std::int64_t n) const {
    return sc_core::sc_time::from_value(period_.value() * static_cast<std::uint64_t>(n));
  }
  // Whole cycles in `t` (t is a multiple of the period in this model; a remainder rounds up).
  std::int64_t ToCycles(const sc_core::sc_time& t) const;
  // The current simulation time in cycles.
  std::int64_t Now() const { return ToCycles(sc_core::sc_time_stamp()); }
  // Wall-clock seconds of `cycles` at the configured frequency.
  double Seconds(std::int64_t cycles) const { return static_cast<double>(cycles) / (mhz_ * 1e6); }

 private:
  std::int64_t mhz_;
  std::uint64_t period_ps_;
  sc_core::sc_time period_;
};

}  // namespace intvit::sim
