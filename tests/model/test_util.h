// Shared helpers for the golden-model tests: edge sets and seeded random data.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace intvit::testing {

// +-2^i + {-2..2} for i in [0, bits-2], plus min, min+1, max-1, max of a signed `bits` width,
// plus 0 and +-1. Every value is inside the width.
inline std::vector<std::int64_t> SignedEdgeValues(int bits) {
  const std::int64_t max = bits >= 64 ? INT64_MAX : (std::int64_t{1} << (bits - 1)) - 1;
  const std::int64_t min = -max - 1;
  std::vector<std::int64_t> v = {0, 1, -1, min, min + 1, max - 1, max};
  for (int i = 0; i < bits - 1; ++i) {
    const std::int64_t p = std::int64_t{1} << i;
    for (std::int64_t d = -2; d <= 2; ++d) {
      for (std::int64_t s : {p + d, -p + d}) {
        if (s >= min && s <= max) v.push_back(s);
      }
    }
  }
  return v;
}

// Seeded uniform integers in [lo, hi].
inline std::vector<std::int64_t> RandomValues(std::uint64_t seed, std::size_t n, std::int64_t lo,
                                              std::int64_t hi) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> dist(lo, hi);
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

template <typename T>
std::vector<T> RandomTyped(std::uint64_t seed, std::size_t n, std::int64_t lo, std::int64_t hi) {
  std::vector<T> out;
  out.reserve(n);
  for (std::int64_t x : RandomValues(seed, n, lo, hi)) out.push_back(static_cast<T>(x));
  return out;
}

}  // namespace intvit::testing
