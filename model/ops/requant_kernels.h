// Internal: the per-ISA requant kernels behind Requant (model/ops/requant.h). Like the GEMM
// kernels, each is compiled with __attribute__((target(...))) on its own functions only and is
// called only when GemmIsaSupported says the CPU has the ISA. Contracts are those of requant.h.
#pragma once

#include <cstdint>
#include <vector>

#include "model/arith/dyadic.h"
#include "model/ops/requant.h"

namespace intvit::model::requant_detail {

// One branch's multipliers in the form the 64-bit kernels use, one entry per channel (or one
// for the whole tensor): value m * 2^-e, with m = 2^31 rewritten as (2^30, e - 1), the same
// rational, so that every m fits int32.
struct LaneMults {
  std::vector<std::int64_t> m;  // in [-2^31, 2^31 - 1]
  std::vector<std::int64_t> e;  // in [1, 62]
  // The rounding addend: 2^(e-1) - 1 for half-even (plus the parity bit, added per lane), 2^(e-1)
  // for half-up. See RoundingShiftAddend.
  std::vector<std::int64_t> add;
};

// Fills `out` from `mult` (size 1 or channels), padded with (m 0, e 1, add 0) entries up to a
// multiple of 8 so that 8-lane loads never leave the arrays. Returns false, leaving the caller to
// the exact general path, when some e (after the rewrite) is outside [1, 62].
bool PrepareLaneMults(const std::vector<Dyadic>& mult, Rounding rounding, LaneMults& out);

// The AVX-512 F/BW/VL kernel. Returns false (writing nothing) when the params are outside its
// fast domain: some e outside [1, 62] after the rewrite, or an Out narrower than out_bits.
// Inputs of int64 are taken 8 lanes at a time when all 8 fit int32; other groups are computed
// by the scalar per-element formula, so any input is exact.
template <typename In, typename Res, typename Out>
bool RequantAvx512(const RequantParams& p, std::int64_t channels, const In* x, const Res* res,
                   Out* y, std::int64_t n);

}  // namespace intvit::model::requant_detail
