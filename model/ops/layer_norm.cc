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

namespace {

// The row loops, cloned per ISA so the compiler vectorizes them for the CPU at hand. They are
// plain exact integer C++, so every clone computes the same values; only the instruction
// selection differs. The operands are narrowed where the ranges allow it, so that the products
// are 32 x 32 -> 64-bit widening multiplies (pmuldq), which vectorize.
#define INTVIT_LAYERNORM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

// sum_c x[c]. |sum| <= 2^20 * 2^15 < 2^63.
INTVIT_LAYERNORM_CLONES std::int64_t RowSum(const std::int16_t* x, std::int64_t n) {
  std::int64_t sum = 0;
  for (std::int64_t c = 0; c < n; ++c) sum += x[c];
  return sum;
}

// sum_c (x[c] - mean)^2. mean is a rounded mean of int16 values, so it is an int16 value too and
// |x - mean| <= 65535 fits int32; each square < 2^32 and the sum < 2^52 (C <= 2^20).
INTVIT_LAYERNORM_CLONES std::int64_t RowSquares(const std::int16_t* x, std::int64_t n,
                                                std::int32_t mean) {
  std::int64_t var = 0;
  for (std::int64_t c = 0; c < n; ++c) {
    const std::int32_t y = x[c] - mean;
    var += std::int64_t{y} * y;
  }
  return var;
}

// out[c] = floor((x[c] - mean) * f / 2) + bias[c] with f <= 2^31 - 1 (fits int32): the product
// is below 2^47 and the bias below 2^62, so nothing overflows.
INTVIT_LAYERNORM_CLONES void RowOutput(const std::int16_t* x, std::int64_t n, std::int32_t mean,
                                       std::int32_t f, const std::int64_t* bias,
                                       std::int64_t* out) {
  for (std::int64_t c = 0; c < n; ++c) {
    const std::int32_t y = x[c] - mean;
    out[c] = ShiftRightFloor(std::int64_t{y} * f, 1) + bias[c];
  }
}

}  // namespace

void IntLayerNorm(const LayerNormParams& p, std::int64_t cols, std::span<const std::int16_t> x,
                  std::span<std::int64_t> out) {
  const auto rows = static_cast<std::int64_t>(x.size()) / cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int16_t* xr = x.data() + r * cols;
    std::int64_t* orow = out.data() + r * cols;
    // mean = round(sum / C) lies between the row's min and max: an int16 value.
    const auto mean = static_cast<std::int32_t>(RoundingDivHalfEven(RowSum(xr, cols), cols));
    const std::int64_t var = RowSquares(xr, cols, mean);
    const std::int64_t k = NewtonIsqrtFloor(var, p.sqrt_iters, p.sqrt_init);
    const std::int64_t f = p.div / k;  // k >= 1 by IsValidNewtonParams; f <= div <= 2^31
    if (f <= INT32_MAX) {
      RowOutput(xr, cols, mean, static_cast<std::int32_t>(f), p.bias_int.data(), orow);
    } else {  // f = 2^31 (div = 2^31, k = 1): the same formula in int64
      for (std::int64_t c = 0; c < cols; ++c) {
        orow[c] = ShiftRightFloor((xr[c] - std::int64_t{mean}) * f, 1) + p.bias_int[c];
      }
    }
  }
}

}  // namespace intvit::model
