// I-LayerNorm's integer square root: a fixed number of Newton steps, as I-ViT writes it.
#pragma once

#include <cstdint>

namespace intvit::model {

inline constexpr int kLayerNormSqrtIters = 10;
inline constexpr std::int64_t kLayerNormSqrtInit = 65536;

// Legal ranges (checked where the params enter): iters in [0, 62], init in [2^iters, 2^62),
// var in [0, 2^62). init >= 2^iters keeps every k >= 1, because each step at least halves k.
inline constexpr std::int64_t kNewtonMaxOperand = std::int64_t{1} << 62;
constexpr bool IsValidNewtonParams(int iters, std::int64_t init) {
  return iters >= 0 && iters <= 62 && init >= (std::int64_t{1} << iters) &&
         init < kNewtonMaxOperand;
}

// Computes:   k = init; repeat iters times: k = floor((k + floor(var / k)) / 2).
// Rounding:   floor at both divisions (operands are non-negative, so `/` is floor).
// Saturation: none. This is NOT a converged isqrt: from 2^16 with 10 steps it gives
//             floor(sqrt(var)) (sometimes +1) only for var in [2^18, 2^44]; var = 0 gives 64.
//             Reproduce it exactly; never substitute an exact isqrt.
// Range:      var in [0, 2^62); IsValidNewtonParams(iters, init).
// Hardware:   rtl/nonlinear/ivit_layernorm.sv (isqrt stage: one ivit_udiv divide per step).
constexpr std::int64_t NewtonIsqrtFloor(std::int64_t var, int iters = kLayerNormSqrtIters,
                                        std::int64_t init = kLayerNormSqrtInit) {
  std::int64_t k = init;
  for (int i = 0; i < iters; ++i) k = (k + var / k) / 2;
  return k;
}

}  // namespace intvit::model
