#include "model/ops/layer_norm.h"

#include <string>

#include "model/arith/div.h"
#include "model/arith/shift.h"
#include "model/common/error.h"

namespace intvit::model {

void CheckLayerNormParams(const LayerNormParams& p, std::int64_t cols) {
  Require(cols >= 1 && cols <= kLayerNormMaxCols,
          "layernorm: rows must have 1 to 2^20 channels, got " + std::to_string(cols));
  Require(static_cast<std::int64_t>(p.bias_int.size()) == cols,
          "layernorm: bias_int has " + std::to_string(p.bias_int.size()) +
              " entries; expected one per channel (" + std::to_string(cols) + ")");
  constexpr std::int64_t kBiasLimit = std::int64_t{1} << 62;
  for (std::size_t c = 0; c < p.bias_int.size(); ++c) {
    Require(p.bias_int[c] > -kBiasLimit && p.bias_int[c] < kBiasLimit,
            "layernorm: bias_int[" + std::to_string(c) + "] is out of range (|b| < 2^62)");
  }
  Require(IsValidNewtonParams(p.sqrt_iters, p.sqrt_init),
          "layernorm: sqrt_iters must be in [0, 62] and sqrt_init in [2^sqrt_iters, 2^62), got " +
              std::to_string(p.sqrt_iters) + " and " + std::to_string(p.sqrt_init));
  Require(p.div >= 1 && p.div <= kDivFloat32,
          "layernorm: div must be in [1, 2^31], got " + std::to_string(p.div));
}

void IntLayerNorm(const LayerNormParams& p, std::int64_t cols, std::span<const std::int16_t> x,
                  std::span<std::int64_t> out) {
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int16_t* xr = x.data() + r * cols;
    std::int64_t* orow = out.data() + r * cols;
    std::int64_t sum = 0;
    for (std::int64_t c = 0; c < cols; ++c) sum += xr[c];
    const std::int64_t mean = RoundingDivHalfEven(sum, cols);
    std::int64_t var = 0;
    for (std::int64_t c = 0; c < cols; ++c) {
      const std::int64_t y = xr[c] - mean;
      var += y * y;
    }
    const std::int64_t k = NewtonIsqrtFloor(var, p.sqrt_iters, p.sqrt_init);
    const std::int64_t f = p.div / k;  // k >= 1 by IsValidNewtonParams
    for (std::int64_t c = 0; c < cols; ++c) {
      const std::int64_t y = xr[c] - mean;
      orow[c] = ShiftRightFloor(y * f, 1) + p.bias_int[c];
    }
  }
}

}  // namespace intvit::model
