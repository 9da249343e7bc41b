// Requant: the dyadic requantization of I-ViT's QuantAct (HAWQ fixedpoint_mul), with an optional
// residual branch. docs/arithmetic.md §Requant.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/arith/dyadic.h"
#include "model/ops/gemm_isa.h"

namespace intvit::model {

struct RequantParams {
  // One multiplier for the whole tensor (size 1) or one per channel (size = channels, the last
  // axis).
  std::vector<Dyadic> mult;
  // The residual branch's multipliers; empty when there is no residual.
  std::vector<Dyadic> mult_res;
  int out_bits = 8;  // 8 or 16
  Rounding rounding = Rounding::kHalfEven;

  bool HasResidual() const { return !mult_res.empty(); }
};

// Throws InputError unless the params fit a tensor whose last axis is `channels`: sizes 1 or
// channels, every Dyadic valid, out_bits 8 or 16.
void CheckRequantParams(const RequantParams& p, std::int64_t channels);

// Computes:   y[i,c] = clamp(round(x[i,c] * m[c] / 2^e[c])
//                            + round(res[i,c] * m_res[c] / 2^e_res[c]),  (if residual)
//                            -2^(b-1), 2^(b-1) - 1)
//             Each branch is rounded on its own, then they are added, then clamped.
// Rounding:   p.rounding (half_even default, half_up selectable), per branch.
// Saturation: to out_bits (8 or 16), after the sum.
// Range:      any input values; CheckRequantParams(p, channels) holds; x.size() == y.size() is a
//             multiple of channels; res is empty or x.size().
// Hardware:   rtl/nonlinear/ivit_requant.sv.
// Kernels: every ISA computes the same bits (tests/model/ops/requant_isa_test.cc).
//   kScalar     the per-element formula with the exact 128-bit dyadic multiply: the reference.
//   kAvx2       a 64-bit form of the formula for 16/32-bit inputs, left to the compiler's AVX2
//               vectorizer (the reference for int64 inputs or e outside [2, 62]).
//   kAvx512Vnni explicit AVX-512 F/BW/VL lanes (model/ops/requant_avx512.cc); int64 inputs are
//               taken 8 at a time when they fit int32, else per element.
// Throws InputError when the CPU lacks `isa`.
template <typename In, typename Res, typename Out>
void Requant(GemmIsa isa, const RequantParams& p, std::int64_t channels, std::span<const In> x,
             std::span<const Res> res, std::span<Out> y);

// The same on BestGemmIsa() (INTVIT_GEMM_ISA=scalar forces the reference).
template <typename In, typename Res, typename Out>
void Requant(const RequantParams& p, std::int64_t channels, std::span<const In> x,
             std::span<const Res> res, std::span<Out> y) {
  Requant<In, Res, Out>(BestGemmIsa(), p, channels, x, res, y);
}

// The common case without residual.
template <typename In, typename Out>
void Requant(const RequantParams& p, std::int64_t channels, std::span<const In> x,
             std::span<Out> y) {
  Requant<In, In, Out>(p, channels, x, std::span<const In>{}, y);
}

}  // namespace intvit::model
