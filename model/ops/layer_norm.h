// IntLayerNorm: I-ViT's I-LayerNorm on integers. docs/arithmetic.md §IntLayerNorm.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/arith/newton_isqrt.h"
#include "model/ops/shiftmax.h"  // kDivDefault

namespace intvit::model {

struct LayerNormParams {
  // floor((beta/gamma) / (sqrt(C)/2^30)) per channel, derived at preparation
  // (model/quant/layernorm_bias.h). int64: it exceeds int32 when |gamma| is small.
  std::vector<std::int64_t> bias_int;
  int sqrt_iters = kLayerNormSqrtIters;
  std::int64_t sqrt_init = kLayerNormSqrtInit;
  std::int64_t div = kDivDefault;
};

// Largest row the op accepts; keeps sum(y^2) < 2^62.
inline constexpr std::int64_t kLayerNormMaxCols = std::int64_t{1} << 20;

// Throws InputError unless bias_int has `cols` entries with |bias_int| < 2^62, cols in
// [1, 2^20], IsValidNewtonParams(sqrt_iters, sqrt_init), and div in [1, 2^31].
void CheckLayerNormParams(const LayerNormParams& p, std::int64_t cols);

// Computes, per row of C = cols:
//               mean = round(sum_c x[c] / C)                  ties to even (torch.round)
//               y[c] = x[c] - mean;  var = sum_c y[c]^2        |y| < 2^17, var < 2^54
//               k    = NewtonIsqrtFloor(var, sqrt_iters, sqrt_init)
//               f    = floor(div / k)
//               out[c] = floor(y[c] * f / 2) + bias_int[c]   ~ (y/std) * 2^30 + bias
//             The output scale is sqrt(C)/2^30 * gamma[c]; the next Requant absorbs it.
// Rounding:   half-even for the mean; floor elsewhere.
// Saturation: none; every intermediate is exact in int64.
// Range:      CheckLayerNormParams(p, cols); x.size() == out.size(), a multiple of cols.
// Hardware:   rtl/nonlinear/ivit_layernorm.sv.
void IntLayerNorm(const LayerNormParams& p, std::int64_t cols, std::span<const std::int16_t> x,
                  std::span<std::int64_t> out);

}  // namespace intvit::model
