#include "model/ops/conv_patch.h"

#include <algorithm>

#include "model/arith/saturate.h"

namespace intvit::model {

void ConvPatch(const ConvPatchShape& s, std::span<const std::int8_t> x,
               std::span<const std::int8_t> w, std::span<const std::int32_t> b,
               std::span<std::int32_t> y) {
  const std::int64_t kP = s.patch, kGW = s.GridW();
  for (std::int64_t p = 0; p < s.NumPatches(); ++p) {
    const std::int64_t y0 = (p / kGW) * kP, x0 = (p % kGW) * kP;
    for (std::int64_t o = 0; o < s.out_channels; ++o) {
      std::int64_t acc = b.empty() ? 0 : b[o];
      const std::int8_t* wo = w.data() + o * s.PatchSize();
      for (std::int64_t c = 0; c < s.in_channels; ++c) {
        for (std::int64_t i = 0; i < kP; ++i) {
          const std::int8_t* xr = x.data() + (c * s.height + y0 + i) * s.width + x0;
          const std::int8_t* wr = wo + (c * kP + i) * kP;
          for (std::int64_t j = 0; j < kP; ++j) acc += std::int64_t{xr[j]} * wr[j];
        }
      }
      y[p * s.out_channels + o] = SaturateToInt32(acc);
    }
  }
}

std::vector<std::int8_t> Im2colPatches(const ConvPatchShape& s, std::span<const std::int8_t> x) {
  const std::int64_t kP = s.patch, kGW = s.GridW();
  std::vector<std::int8_t> cols(s.NumPatches() * s.PatchSize());
  std::int8_t* out = cols.data();
  for (std::int64_t p = 0; p < s.NumPatches(); ++p) {
    const std::int64_t y0 = (p / kGW) * kP, x0 = (p % kGW) * kP;
    for (std::int64_t c = 0; c < s.in_channels; ++c) {
      for (std::int64_t i = 0; i < kP; ++i) {
        const std::int8_t* xr = x.data() + (c * s.height + y0 + i) * s.width + x0;
        out = std::copy(xr, xr + kP, out);
      }
    }
  }
  return cols;
}

}  // namespace intvit::model
