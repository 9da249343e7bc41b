// Fixed-width integer aliases shared by the golden model.
#pragma once

#include <cstdint>

namespace intvit::model {

// A 128-bit intermediate for the dyadic multiply: |x| < 2^63 times |m| <= 2^31 needs 95 bits.
// GCC and Clang provide it on every 64-bit target this project builds for.
__extension__ typedef __int128 Int128;

inline constexpr std::int64_t kInt64Max = INT64_MAX;
inline constexpr std::int64_t kInt64Min = INT64_MIN;

}  // namespace intvit::model
