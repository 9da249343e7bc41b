// MatMul: I-ViT's QuantMatMul on integers (q·kᵀ and attn·v). docs/arithmetic.md §MatMul.
#pragma once

#include <cstdint>
#include <span>

namespace intvit::model {

struct MatMulShape {
  std::int64_t batch = 1;  // product of the leading axes (heads)
  std::int64_t m = 0;
  std::int64_t k = 0;
  std::int64_t n = 0;
};

// Computes:   y[b,i,j] = sum_k a[b,i,k] * bm[b,k,j]      (acc: int32, scale s_a*s_b)
//             a is int8 (q·kᵀ) or uint16 (the Shiftmax output in attn·v).
// Rounding:   none (exact, accumulated in int64).
// Saturation: to int32 at the end; unreachable in the ViT (|q·kᵀ| <= 2^20; attn·v <= 2^22
//             because a softmax row sums to at most 2^15).
// Range:      a [B,M,K], bm [B,K,N], y [B,M,N], all row-major.
// Hardware:   rtl/array/ivit_mesh.sv (uint16 operands use the array's 17-bit signed A path).
template <typename A>
void MatMul(const MatMulShape& s, std::span<const A> a, std::span<const std::int8_t> bm,
            std::span<std::int32_t> y);

}  // namespace intvit::model
