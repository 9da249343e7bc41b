#include "model/ops/matmul.h"

#include "model/arith/saturate.h"

namespace intvit::model {

template <typename A>
void MatMul(const MatMulShape& s, std::span<const A> a, std::span<const std::int8_t> bm,
            std::span<std::int32_t> y) {
  for (std::int64_t b = 0; b < s.batch; ++b) {
    const A* ab = a.data() + b * s.m * s.k;
    const std::int8_t* bb = bm.data() + b * s.k * s.n;
    std::int32_t* yb = y.data() + b * s.m * s.n;
    for (std::int64_t i = 0; i < s.m; ++i) {
      for (std::int64_t j = 0; j < s.n; ++j) {
        std::int64_t acc = 0;
        for (std::int64_t k = 0; k < s.k; ++k) acc += std::int64_t{ab[i * s.k + k]} * bb[k * s.n + j];
        yb[i * s.n + j] = SaturateToInt32(acc);
      }
    }
  }
}

template void MatMul<std::int8_t>(const MatMulShape&, std::span<const std::int8_t>,
                                  std::span<const std::int8_t>, std::span<std::int32_t>);
template void MatMul<std::uint16_t>(const MatMulShape&, std::span<const std::uint16_t>,
                                    std::span<const std::int8_t>, std::span<std::int32_t>);

}  // namespace intvit::model
