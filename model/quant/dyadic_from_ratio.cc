#include "model/quant/dyadic_from_ratio.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "model/common/error.h"
#include "model/quant/float32.h"

namespace intvit::model {

Dyadic DyadicFromRatio(double ratio) {
  Require(std::isfinite(ratio),
          "dyadic multiplier: the scale ratio is " + detail::FloatText(ratio) + ", not finite");
  if (ratio == 0.0) return Dyadic{0, 0};

  int ex = 0;
  const double mant = std::frexp(ratio, &ex);  // exact; |mant| in [0.5, 1)
  const double scaled = std::ldexp(mant, 31);  // exact: |scaled| in [2^30, 2^31)
  // std::round rounds halfway cases away from zero whatever the rounding mode, and its result
  // is exact here: an integer of at most 2^31 is representable in double.
  const double rounded = std::round(scaled);
  const Dyadic d{static_cast<std::int64_t>(rounded), 31 - ex};
  Require(d.e >= kDyadicMinE && d.e <= kDyadicMaxE,
          "dyadic multiplier: the scale ratio " + detail::FloatText(ratio) +
              " needs shift e = " + std::to_string(d.e) + ", outside [" +
              std::to_string(kDyadicMinE) + ", " + std::to_string(kDyadicMaxE) + "]");
  return d;
}

Dyadic DyadicFromScales(float s_in, float s_out) {
  Require(std::isfinite(s_in) && std::isfinite(s_out) && s_out != 0.0f,
          "dyadic multiplier: scales s_in = " + detail::FloatText(s_in) +
              " and s_out = " + detail::FloatText(s_out) + " must be finite, with s_out nonzero");
  return DyadicFromRatio(static_cast<double>(s_in) / static_cast<double>(s_out));
}

}  // namespace intvit::model
