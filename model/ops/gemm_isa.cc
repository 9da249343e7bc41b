#include "model/ops/gemm_isa.h"

#include <cstdlib>
#include <string>

#include "model/common/error.h"

namespace intvit::model {
namespace {

struct CpuFeatures {
  bool avx2 = false;
  bool avx512vnni = false;  // together with F, BW and VL, which the kernels also use
};

// libgcc's __builtin_cpu_supports also checks XGETBV, so a feature is reported only when the OS
// saves its register state.
CpuFeatures QueryCpu() {
  __builtin_cpu_init();
  CpuFeatures f;
  f.avx2 = __builtin_cpu_supports("avx2");
  f.avx512vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
  return f;
}

const CpuFeatures& Cpu() {
  static const CpuFeatures features = QueryCpu();
  return features;
}

}  // namespace

std::string_view GemmIsaName(GemmIsa isa) {
  switch (isa) {
    case GemmIsa::kScalar:
      return "scalar";
    case GemmIsa::kAvx2:
      return "avx2";
    case GemmIsa::kAvx512Vnni:
      return "avx512vnni";
  }
  return "unknown";
}

std::optional<GemmIsa> ParseGemmIsa(std::string_view name) {
  for (GemmIsa isa : {GemmIsa::kScalar, GemmIsa::kAvx2, GemmIsa::kAvx512Vnni}) {
    if (name == GemmIsaName(isa)) return isa;
  }
  return std::nullopt;
}

bool GemmIsaSupported(GemmIsa isa) {
  switch (isa) {
    case GemmIsa::kScalar:
      return true;
    case GemmIsa::kAvx2:
      return Cpu().avx2;
    case GemmIsa::kAvx512Vnni:
      return Cpu().avx512vnni;
  }
  return false;
}

GemmIsa DetectGemmIsa() {
  if (GemmIsaSupported(GemmIsa::kAvx512Vnni)) return GemmIsa::kAvx512Vnni;
  if (GemmIsaSupported(GemmIsa::kAvx2)) return GemmIsa::kAvx2;
  return GemmIsa::kScalar;
}

GemmIsa BestGemmIsa() {
  const char* env = std::getenv("INTVIT_GEMM_ISA");
  if (env == nullptr || std::string_view(env).empty() || std::string_view(env) == "auto") {
    return DetectGemmIsa();
  }
  const std::optional<GemmIsa> isa = ParseGemmIsa(env);
  Require(isa.has_value(),
          "INTVIT_GEMM_ISA=" + std::string(env) + " is not one of scalar, avx2, avx512vnni, auto");
  Require(GemmIsaSupported(*isa),
          "INTVIT_GEMM_ISA=" + std::string(env) + " but this CPU does not support it");
  return *isa;
}

std::vector<GemmIsa> SupportedGemmIsas() {
  std::vector<GemmIsa> out;
  for (GemmIsa isa : {GemmIsa::kScalar, GemmIsa::kAvx2, GemmIsa::kAvx512Vnni}) {
    if (GemmIsaSupported(isa)) out.push_back(isa);
  }
  return out;
}

}  // namespace intvit::model
