#include "model/ops/requant.h"

#include <algorithm>
#include <string>

#include "model/arith/saturate.h"
#include "model/common/error.h"
#include "model/ops/requant_kernels.h"

namespace intvit::model {
namespace {

void CheckMultipliers(const std::vector<Dyadic>& mult, std::int64_t channels, const char* name) {
  const auto n = static_cast<std::int64_t>(mult.size());
  Require(n == 1 || n == channels,
          std::string("requant: ") + name + " has " + std::to_string(n) +
              " entries; expected 1 (per tensor) or " + std::to_string(channels) +
              " (per channel)");
  for (std::size_t i = 0; i < mult.size(); ++i) {
    Require(IsValidDyadic(mult[i]),
            std::string("requant: ") + name + "[" + std::to_string(i) + "] = (m " +
                std::to_string(mult[i].m) + ", e " + std::to_string(mult[i].e) +
                ") is out of range: |m| <= 2^31 and e in [-62, 126]");
  }
}

}  // namespace

void CheckRequantParams(const RequantParams& p, std::int64_t channels) {
  Require(channels >= 1, "requant: the last axis must have at least one channel");
  Require(p.out_bits == 8 || p.out_bits == 16,
          "requant: out_bits must be 8 or 16, got " + std::to_string(p.out_bits));
  CheckMultipliers(p.mult, channels, "m/e");
  if (p.HasResidual()) CheckMultipliers(p.mult_res, channels, "m_res/e_res");
}

namespace {

// The row loop with the rounding fixed at compile time, so the inner loop has no dispatch.
template <Rounding kRounding, typename In, typename Res, typename Out>
void RequantRows(const RequantParams& p, std::int64_t channels, std::span<const In> x,
                 std::span<const Res> res, std::span<Out> y) {
  auto mul = [](std::int64_t v, Dyadic d) {
    return kRounding == Rounding::kHalfEven ? DyadicMultiplyHalfEven(v, d)
                                            : DyadicMultiplyHalfUp(v, d);
  };
  const bool per_channel = p.mult.size() > 1;
  const bool res_per_channel = p.mult_res.size() > 1;
  const bool has_res = p.HasResidual();
  const auto rows = static_cast<std::int64_t>(x.size()) / channels;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t base = r * channels;
    for (std::int64_t c = 0; c < channels; ++c) {
      std::int64_t v = mul(x[base + c], p.mult[per_channel ? c : 0]);
      if (has_res) v = SaturatingAdd(v, mul(res[base + c], p.mult_res[res_per_channel ? c : 0]));
      y[base + c] = static_cast<Out>(SaturateToBits(v, p.out_bits));
    }
  }
}

// Fast path for 16/32-bit inputs: every product |x * m| <= 2^62 fits int64, so the
// rounding is plain 64-bit arithmetic that the compiler can vectorize. Multipliers are
// taken per block of channels into local arrays; m = 2^31 is rewritten as (2^30, e - 1), the
// same value, so that every m fits int32. Returns false (doing nothing) when some e is
// outside [2, 62], leaving those rare parameters to the general path.
constexpr std::int64_t kBlock = 64;

struct BlockMults {
  std::int64_t m[kBlock], mask[kBlock], half[kBlock];
  std::int64_t e[kBlock];
};

inline bool LoadBlock(const std::vector<Dyadic>& mult, std::int64_t c0, std::int64_t n,
                      BlockMults& b) {
  const bool per_channel = mult.size() > 1;
  for (std::int64_t i = 0; i < n; ++i) {
    Dyadic d = mult[per_channel ? c0 + i : 0];
    if (d.e < 2 || d.e > 62) return false;
    if (d.m == (std::int64_t{1} << 31)) d = Dyadic{d.m / 2, d.e - 1};
    b.m[i] = d.m;
    b.e[i] = d.e;
    b.mask[i] = (std::int64_t{1} << d.e) - 1;
    b.half[i] = std::int64_t{1} << (d.e - 1);
  }
  return true;
}

template <Rounding kRounding>
__attribute__((always_inline)) inline std::int64_t RoundBlockLane(std::int64_t p, const BlockMults& b,
                                                               std::int64_t i) {
  const std::int64_t q = p >> b.e[i];
  const std::int64_t rem = p & b.mask[i];
  if constexpr (kRounding == Rounding::kHalfEven) {
    return q + ((rem > b.half[i]) | ((rem == b.half[i]) & (q & 1)));
  } else {
    return q + (rem >= b.half[i]);
  }
}

// Compiled for AVX2 only: this is the kAvx2 path, called only when the CPU has AVX2.
template <Rounding kRounding, typename In, typename Res, typename Out>
__attribute__((target("avx2"))) bool RequantRowsFast(
    const RequantParams& p, std::int64_t channels, const In* x, const Res* res, Out* y,
    std::int64_t rows) {
  const std::int64_t lo = -(std::int64_t{1} << (p.out_bits - 1)), hi = -lo - 1;
  BlockMults mb, rb;
  for (std::int64_t c0 = 0; c0 < channels; c0 += kBlock) {
    const std::int64_t n = std::min(kBlock, channels - c0);
    if (!LoadBlock(p.mult, c0, n, mb)) return false;
    if (res != nullptr && !LoadBlock(p.mult_res, c0, n, rb)) return false;
  }
  for (std::int64_t c0 = 0; c0 < channels; c0 += kBlock) {
    const std::int64_t n = std::min(kBlock, channels - c0);
    LoadBlock(p.mult, c0, n, mb);
    if (res != nullptr) LoadBlock(p.mult_res, c0, n, rb);
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t base = r * channels + c0;
      for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t v = RoundBlockLane<kRounding>(std::int64_t{x[base + i]} * mb.m[i], mb, i);
        if (res != nullptr) {
          v += RoundBlockLane<kRounding>(std::int64_t{res[base + i]} * rb.m[i], rb, i);
        }
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        y[base + i] = static_cast<Out>(v);
      }
    }
  }
  return true;
}

}  // namespace

template <typename In, typename Res, typename Out>
void Requant(GemmIsa isa, const RequantParams& p, std::int64_t channels, std::span<const In> x,
             std::span<const Res> res, std::span<Out> y) {
  if (!GemmIsaSupported(isa)) {  // per call: the message is built only on failure
    Require(false, "requant: ISA " + std::string(GemmIsaName(isa)) + " is not supported by this CPU");
  }
  const Res* r = p.HasResidual() ? res.data() : nullptr;
  const auto n = static_cast<std::int64_t>(x.size());
  if (isa == GemmIsa::kAvx512Vnni &&
      requant_detail::RequantAvx512(p, channels, x.data(), r, y.data(), n)) {
    return;
  }
  if constexpr (sizeof(In) <= 4 && sizeof(Res) <= 4) {
    if (isa == GemmIsa::kAvx2) {
      const auto rows = n / channels;
      const bool done =
          p.rounding == Rounding::kHalfEven
              ? RequantRowsFast<Rounding::kHalfEven>(p, channels, x.data(), r, y.data(), rows)
              : RequantRowsFast<Rounding::kHalfUp>(p, channels, x.data(), r, y.data(), rows);
      if (done) return;
    }
  }
  if (p.rounding == Rounding::kHalfEven) {
    RequantRows<Rounding::kHalfEven>(p, channels, x, res, y);
  } else {
    RequantRows<Rounding::kHalfUp>(p, channels, x, res, y);
  }
}

// The combinations the ViT and the vector cases use. Out is wide enough for out_bits 16.
#define INTVIT_REQUANT(In, Res, Out)                                                    \
  template void Requant<In, Res, Out>(GemmIsa, const RequantParams&, std::int64_t,     \
                                      std::span<const In>, std::span<const Res>,       \
                                      std::span<Out>);
INTVIT_REQUANT(std::int32_t, std::int32_t, std::int8_t)
INTVIT_REQUANT(std::int32_t, std::int32_t, std::int16_t)
INTVIT_REQUANT(std::int64_t, std::int64_t, std::int8_t)
INTVIT_REQUANT(std::int64_t, std::int64_t, std::int16_t)
INTVIT_REQUANT(std::int16_t, std::int16_t, std::int16_t)
INTVIT_REQUANT(std::int16_t, std::int16_t, std::int8_t)
INTVIT_REQUANT(std::int32_t, std::int16_t, std::int16_t)
INTVIT_REQUANT(std::int64_t, std::int64_t, std::int64_t)
#undef INTVIT_REQUANT

}  // namespace intvit::model
