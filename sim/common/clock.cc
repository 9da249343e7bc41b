#include "sim/common/clock.h"

#include <cmath>

#include "model/common/error.h"

namespace intvit::sim {

Clock::Clock(std::int64_t clock_mhz) : mhz_(clock_mhz) {
  Require(clock_mhz > 0 && clock_mhz <= 1000000, "clock_mhz must be in [1, 1000000]");
  // SystemC's default resolution is 1 ps; the period is a whole number of it.
  period_ps_ = static_cast<std::uint64_t>(std::llround(1e6 / static_cast<double>(clock_mhz)));
  period_ = sc_core::sc_time::from_value(
      period_ps_ * static_cast<std::uint64_t>(sc_core::sc_time(1, sc_core::SC_PS).value()));
}

std::int64_t Clock::ToCycles(const sc_core::sc_time& t) const {
  const std::uint64_t v = t.value();
  const std::uint64_t p = period_.value();
  return static_cast<std::int64_t>((v + p - 1) / p);
}

}  // namespace intvit::sim
