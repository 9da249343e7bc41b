// Internal: the per-ISA kernels behind GemmInt8 and GemmUint16Int8 (model/ops/gemm_int8.h).
// Each is compiled with __attribute__((target(...))) on its own functions only, so the library
// needs no special flags and runs on CPUs without the ISA as long as nobody calls them there.
// Callers check GemmIsaSupported first. Contracts are those of gemm_int8.h.
#pragma once

#include <cstdint>

#include "model/ops/gemm_pack.h"

namespace intvit::model::gemm_detail {

void GemmInt8Avx2(std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
                  const std::int32_t* bias, std::int32_t* y);
void GemmInt8Avx512Vnni(std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
                        const std::int32_t* bias, std::int32_t* y);

void GemmUint16Int8Avx2(std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                        std::int32_t* y);
void GemmUint16Int8Avx512Vnni(std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                              std::int32_t* y);

// Rows per block of the x operand: the kernels compute row corrections for this many rows, then
// sweep every panel over them, so a panel stays in L1 while the rows reuse it.
inline constexpr std::int64_t kGemmRowBlock = 48;

// Values of the uint16 GEMM's k per int32 accumulation run: |a - 32768| * |b| <= 2^22 per term,
// so 256 terms stay below 2^30.
inline constexpr std::int64_t kGemmUint16Run = 256;

}  // namespace intvit::model::gemm_detail
