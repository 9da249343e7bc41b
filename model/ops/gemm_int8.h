// Fast exact GEMMs for the golden model: int8 x int8 (Linear layers, q * k^T) and uint16 x int8
// (attention probabilities x V), on a run-time choice of ISA. Every ISA returns exactly the bits
// of the scalar reference (model/ops/gemm_reference.h); tests/model/ops/gemm_int8_test.cc proves
// it on random and edge data. docs/gemm.md gives the exactness argument per ISA.
//
// q * k^T needs no kernel of its own: k is [tokens, d], which is the Linear weight layout, so
// PackInt8WeightsInto(k, tokens, d) and GemmInt8(isa, tokens, q, packed_k, nullptr, scores).
#pragma once

#include <cstdint>

#include "model/ops/gemm_isa.h"
#include "model/ops/gemm_pack.h"

namespace intvit::model {

// Computes:   y[i,j] = sat32(bias[j] + sum_k x[i,k] * w[j,k]), i < m, j < w.n, k < w.k; bias may
//             be nullptr (no bias). x [m, w.k] and y [m, w.n] are dense row-major.
//             acc: int32, exact. The sum alone always fits int32 (|sum| <= 128 * 128 * 65536 =
//             2^30 for K <= 65536, which PackInt8Weights enforces); the bias is then added in
//             64 bits and the result saturated to int32, identically on every ISA.
// Rounding:   none.
// Saturation: only bias + sum, to int32 (callers that need more check before).
// Range:      m >= 0; w from PackInt8Weights; GemmIsaSupported(isa) (else InputError).
// Hardware:   rtl/array/ (int8 PEs, int32 accumulators).
void GemmInt8(GemmIsa isa, std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
              const std::int32_t* bias, std::int32_t* y);

// Computes:   y[i,j] = sat32(sum_k a[i,k] * b[k,j]), i < m, j < b.n, k < b.k. a [m, b.k] uint16
//             (any value up to 65535) and y [m, b.n] are dense row-major.
//             acc: exact; int32 within each run of 256 k, int64 across runs.
// Rounding:   none.
// Saturation: to int32, never reached for b.k <= 256 (see GemmUint16Int8Reference).
// Range:      m >= 0; b from PackInt8KxN; GemmIsaSupported(isa) (else InputError).
// Hardware:   the attention probabilities x V pass of rtl/array/.
void GemmUint16Int8(GemmIsa isa, std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                    std::int32_t* y);

}  // namespace intvit::model
