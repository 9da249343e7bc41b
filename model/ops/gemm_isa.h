// Which instruction set the fast GEMM kernels (model/ops/gemm_int8.h) run on. Every ISA computes
// the same bits; the choice only changes speed.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace intvit::model {

enum class GemmIsa {
  kScalar,      // plain C++ loops: the reference
  kAvx2,        // AVX2 vpmaddwd on int16-widened operands
  kAvx512Vnni,  // AVX-512 F/BW/VL + VNNI: vpdpbusd (int8) and vpdpwssd (uint16 x int8)
};

// "scalar", "avx2", "avx512vnni": the spellings INTVIT_GEMM_ISA accepts.
std::string_view GemmIsaName(GemmIsa isa);
std::optional<GemmIsa> ParseGemmIsa(std::string_view name);

// True when this CPU (and OS, for the AVX-512 register state) can run `isa`. kScalar always is.
bool GemmIsaSupported(GemmIsa isa);

// The fastest ISA this CPU supports.
GemmIsa DetectGemmIsa();

// DetectGemmIsa(), unless the environment variable INTVIT_GEMM_ISA names one (an empty value or
// "auto" also means detect). Throws InputError when the name is unknown or the CPU lacks that ISA,
// rather than letting a forced kernel die on an illegal instruction.
GemmIsa BestGemmIsa();

// Every ISA this CPU supports, kScalar first.
std::vector<GemmIsa> SupportedGemmIsas();

}  // namespace intvit::model
