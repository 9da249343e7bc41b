// The float32 environment that model/quant/ relies on, checked at compile time, and the number
// formatting its error messages share. Only prepare-time code (model/quant/) includes this.
#pragma once

#include <cfloat>
#include <charconv>
#include <limits>
#include <string>

// Every function in model/quant/ reproduces a PyTorch float32 expression one IEEE rounding at a
// time. -ffast-math would reassociate, flush subnormals and use approximate reciprocals.
#if defined(__FAST_MATH__)
#error "model/quant/ needs IEEE float32 semantics; do not build it with -ffast-math"
#endif
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "model/quant/ needs IEEE 754 binary32 and binary64");
// 0: each float operation rounds to float32 (SSE2 on x86-64, every AArch64). A nonzero value
// (x87) would keep excess precision and change RN32(a op b).
static_assert(FLT_EVAL_METHOD == 0, "float expressions must round to float32 at every operation");

namespace intvit::model::detail {

// Shortest text that reads back as the same value, e.g. "0.01" for 0.01f, for error messages.
template <typename T>
std::string FloatText(T value) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

}  // namespace intvit::model::detail
