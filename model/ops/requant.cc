#include "model/ops/requant.h"

#include <string>

#include "model/arith/saturate.h"
#include "model/common/error.h"

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

}  // namespace

template <typename In, typename Res, typename Out>
void Requant(const RequantParams& p, std::int64_t channels, std::span<const In> x,
             std::span<const Res> res, std::span<Out> y) {
  if (p.rounding == Rounding::kHalfEven) {
    RequantRows<Rounding::kHalfEven>(p, channels, x, res, y);
  } else {
    RequantRows<Rounding::kHalfUp>(p, channels, x, res, y);
  }
}

// The combinations the ViT and the vector cases use. Out is wide enough for out_bits 16.
#define INTVIT_REQUANT(In, Res, Out)                                                 \
  template void Requant<In, Res, Out>(const RequantParams&, std::int64_t,           \
                                      std::span<const In>, std::span<const Res>,    \
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
