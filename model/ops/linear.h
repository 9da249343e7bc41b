// Linear: I-ViT's QuantLinear on integers. docs/arithmetic.md §Linear.
#pragma once

#include <cstdint>
#include <span>

namespace intvit::model {

struct LinearShape {
  std::int64_t tokens = 0;        // T, rows of x
  std::int64_t in_features = 0;   // K
  std::int64_t out_features = 0;  // N
};

// Computes:   y[t,n] = b[n] + sum_k x[t,k] * w[n,k]        (acc: int32, scale s_w[n]*s_x)
// Rounding:   none (exact integer sum, accumulated in int64).
// Saturation: the final value saturates to int32. Unreachable for I-ViT models: |sum| <=
//             K * 2^14 and the quantized bias is int32, and model loading checks the sum fits.
// Range:      x [T,K], w [N,K] row-major, b [N] or empty (no bias), y [T,N].
// Hardware:   rtl/array/ivit_mesh.sv (the systolic array) plus the bias add in the accumulator.
void Linear(const LinearShape& s, std::span<const std::int8_t> x, std::span<const std::int8_t> w,
            std::span<const std::int32_t> b, std::span<std::int32_t> y);

}  // namespace intvit::model
