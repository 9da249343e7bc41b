// Scalar reference GEMMs on plain row-major arrays: the definition every fast kernel in
// model/ops/gemm_int8.h must reproduce bit for bit. Plain loops, 64-bit accumulation, no
// allocation.
#pragma once

#include <cstdint>

namespace intvit::model {

// Computes:   y[i,j] = sat32(bias[j] + sum_{k'<k} x[i,k'] * w[j,k']) for i < m, j < n
//             (bias[j] = 0 when bias is nullptr). x [m,k], w [n,k] (Linear layout), y [m,n].
// Rounding:   none; the sum is exact.
// Saturation: only the final bias add, to int32. The sum alone always fits: |sum| <= 2^30.
// Range:      m >= 0, n >= 1, k in [1, 65536].
// Hardware:   rtl/array/ (int8 PEs, int32 accumulators) for the sum; the bias add is the
//             RequantUnit's int32 input stage.
void GemmInt8Reference(std::int64_t m, std::int64_t n, std::int64_t k, const std::int8_t* x,
                       const std::int8_t* w, const std::int32_t* bias, std::int32_t* y);

// Computes:   y[i,j] = sat32(sum_{k'<k} a[i,k'] * b[k',j]). a [m,k] uint16, b [k,n], y [m,n].
// Rounding:   none; the sum is exact in 64 bits.
// Saturation: to int32. Never reached when k <= 256 (|sum| <= 65535 * 128 * 256 < 2^31), nor for
//             softmax rows (sum_k a <= 2^16 gives |sum| <= 2^23).
// Range:      m >= 0, n >= 1, k in [1, 2^20].
// Hardware:   the attention probabilities x V pass of rtl/array/.
void GemmUint16Int8Reference(std::int64_t m, std::int64_t n, std::int64_t k, const std::uint16_t* a,
                             const std::int8_t* b, std::int32_t* y);

}  // namespace intvit::model
