// Saturating clamps to a signed bit width.
#pragma once

#include <cstdint>

namespace intvit::model {

// Computes:   min(max(x, -2^(bits-1)), 2^(bits-1) - 1).
// Rounding:   none.
// Saturation: this is the saturation.
// Range:      bits in [2, 64].
// Hardware:   rtl/prim/ivit_sat.sv.
constexpr std::int64_t SaturateToBits(std::int64_t x, int bits) {
  if (bits >= 64) return x;
  const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
  const std::int64_t lo = -hi - 1;
  return x > hi ? hi : (x < lo ? lo : x);
}

constexpr std::int8_t SaturateToInt8(std::int64_t x) {
  return static_cast<std::int8_t>(SaturateToBits(x, 8));
}
constexpr std::int16_t SaturateToInt16(std::int64_t x) {
  return static_cast<std::int16_t>(SaturateToBits(x, 16));
}
constexpr std::int32_t SaturateToInt32(std::int64_t x) {
  return static_cast<std::int32_t>(SaturateToBits(x, 32));
}

// Computes:   a + b, saturated to int64.
// Range:      any.
constexpr std::int64_t SaturatingAdd(std::int64_t a, std::int64_t b) {
  std::int64_t s = 0;
  if (__builtin_add_overflow(a, b, &s)) return a > 0 ? INT64_MAX : INT64_MIN;
  return s;
}

}  // namespace intvit::model
