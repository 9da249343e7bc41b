#include "model/ops/gemm_int8.h"

#include <string>

#include "model/common/error.h"
#include "model/ops/gemm_kernels.h"
#include "model/ops/gemm_reference.h"

namespace intvit::model {
namespace {

// Runs per GEMM call: the message is built only on failure.
void RequireIsa(GemmIsa isa) {
  if (GemmIsaSupported(isa)) return;
  Require(false, "GEMM ISA " + std::string(GemmIsaName(isa)) + " is not supported by this CPU");
}

}  // namespace

void GemmInt8(GemmIsa isa, std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
              const std::int32_t* bias, std::int32_t* y) {
  RequireIsa(isa);
  if (m <= 0) return;
  switch (isa) {
    case GemmIsa::kScalar:
      GemmInt8Reference(m, w.n, w.k, x, w.rows.data(), bias, y);
      return;
    case GemmIsa::kAvx2:
      gemm_detail::GemmInt8Avx2(m, x, w, bias, y);
      return;
    case GemmIsa::kAvx512Vnni:
      gemm_detail::GemmInt8Avx512Vnni(m, x, w, bias, y);
      return;
  }
}

void GemmUint16Int8(GemmIsa isa, std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                    std::int32_t* y) {
  RequireIsa(isa);
  if (m <= 0) return;
  switch (isa) {
    case GemmIsa::kScalar:
      GemmUint16Int8Reference(m, b.n, b.k, a, b.rows.data(), y);
      return;
    case GemmIsa::kAvx2:
      gemm_detail::GemmUint16Int8Avx2(m, a, b, y);
      return;
    case GemmIsa::kAvx512Vnni:
      gemm_detail::GemmUint16Int8Avx512Vnni(m, a, b, y);
      return;
  }
}

}  // namespace intvit::model
