#include "model/ops/linear.h"

#include "model/arith/saturate.h"

namespace intvit::model {

void Linear(const LinearShape& s, std::span<const std::int8_t> x, std::span<const std::int8_t> w,
            std::span<const std::int32_t> b, std::span<std::int32_t> y) {
  const std::int64_t kT = s.tokens, kK = s.in_features, kN = s.out_features;
  for (std::int64_t t = 0; t < kT; ++t) {
    const std::int8_t* xr = x.data() + t * kK;
    for (std::int64_t n = 0; n < kN; ++n) {
      const std::int8_t* wr = w.data() + n * kK;
      std::int64_t acc = b.empty() ? 0 : b[n];
      for (std::int64_t k = 0; k < kK; ++k) acc += std::int64_t{xr[k]} * wr[k];
      y[t * kN + n] = SaturateToInt32(acc);
    }
  }
}

}  // namespace intvit::model
