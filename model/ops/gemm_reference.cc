#include "model/ops/gemm_reference.h"

#include "model/arith/saturate.h"

namespace intvit::model {

void GemmInt8Reference(std::int64_t m, std::int64_t n, std::int64_t k, const std::int8_t* x,
                       const std::int8_t* w, const std::int32_t* bias, std::int32_t* y) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t acc = bias != nullptr ? bias[j] : 0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        acc += std::int64_t{x[i * k + kk]} * w[j * k + kk];
      }
      y[i * n + j] = SaturateToInt32(acc);
    }
  }
}

void GemmUint16Int8Reference(std::int64_t m, std::int64_t n, std::int64_t k, const std::uint16_t* a,
                             const std::int8_t* b, std::int32_t* y) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t acc = 0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        acc += std::int64_t{a[i * k + kk]} * b[kk * n + j];
      }
      y[i * n + j] = SaturateToInt32(acc);
    }
  }
}

}  // namespace intvit::model
