#include "model/ops/gemm_pack.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "model/common/error.h"

namespace intvit::model {
namespace {

void CheckShape(std::size_t size, std::int64_t rows, std::int64_t cols, std::int64_t max_k,
                std::int64_t k, const char* what) {
  // Runs per packing (per head and image for q * k^T): messages are built only on failure.
  if (k < 1 || k > max_k) {
    Require(false, std::string(what) + ": K=" + std::to_string(k) + " outside [1, " +
                       std::to_string(max_k) + "]");
  }
  if (rows < 1 || cols < 1 || static_cast<std::int64_t>(size) != rows * cols) {
    Require(false, std::string(what) + ": " + std::to_string(size) + " values do not make a " +
                       std::to_string(rows) + "x" + std::to_string(cols) + " matrix");
  }
}

}  // namespace

void PackInt8WeightsInto(std::span<const std::int8_t> w, std::int64_t n, std::int64_t k,
                         PackedInt8Weights* out) {
  CheckShape(w.size(), n, k, kGemmInt8MaxK, k, "PackInt8Weights");
  out->n = n;
  out->k = k;
  out->rows.assign(w.begin(), w.end());
  const std::int64_t groups = out->groups();
  const std::int64_t full = k / 4;
  out->panels.assign(static_cast<std::size_t>(GemmPaddedCols(n) * groups * kGemmGroupBytes), 0);
  for (std::int64_t p = 0; p < GemmPanelCount(n); ++p) {
    const std::int64_t j0 = p * kGemmPanelCols;
    const std::int64_t row_bytes = GemmPanelWidth(n, p) * kGemmGroupBytes;
    std::uint8_t* panel = out->panels.data() + GemmPanelOffsetBytes(p, groups);
    for (std::int64_t c = 0; c < kGemmPanelCols && j0 + c < n; ++c) {
      const std::int8_t* src = w.data() + (j0 + c) * k;
      std::uint8_t* dst = panel + c * kGemmGroupBytes;
      // w + 128 as uint8 is w with its sign bit flipped; four values of k at a time.
      for (std::int64_t g = 0; g < full; ++g) {
        std::uint32_t quad;
        std::memcpy(&quad, src + 4 * g, sizeof(quad));
        quad ^= 0x80808080u;
        std::memcpy(dst + g * row_bytes, &quad, sizeof(quad));
      }
      for (std::int64_t kk = 4 * full; kk < k; ++kk) {  // padding bytes stay 0
        dst[full * row_bytes + kk % 4] =
            static_cast<std::uint8_t>(static_cast<std::uint8_t>(src[kk]) ^ 0x80u);
      }
    }
  }
}

PackedInt8Weights PackInt8Weights(std::span<const std::int8_t> w, std::int64_t n, std::int64_t k) {
  PackedInt8Weights out;
  PackInt8WeightsInto(w, n, k, &out);
  return out;
}

void PackInt8KxNInto(std::span<const std::int8_t> b, std::int64_t k, std::int64_t n,
                     PackedInt8KxN* out) {
  CheckShape(b.size(), k, n, kGemmUint16Int8MaxK, k, "PackInt8KxN");
  out->k = k;
  out->n = n;
  out->rows.assign(b.begin(), b.end());
  const std::int64_t groups = out->groups();
  out->panels.assign(static_cast<std::size_t>(GemmPaddedCols(n) * groups * kGemmGroupBytes), 0);
  out->col_sums.assign(static_cast<std::size_t>(GemmPaddedCols(n)), 0);
  for (std::int64_t kk = 0; kk < k; ++kk) {
    const std::int8_t* src = b.data() + kk * n;
    for (std::int64_t j = 0; j < n; ++j) out->col_sums[j] += src[j];
  }
  for (std::int64_t p = 0; p < GemmPanelCount(n); ++p) {
    const std::int64_t j0 = p * kGemmPanelCols;
    const std::int64_t cols = std::min(kGemmPanelCols, n - j0);
    const std::int64_t row_bytes = GemmPanelWidth(n, p) * kGemmGroupBytes;
    std::uint8_t* panel = out->panels.data() + GemmPanelOffsetBytes(p, groups);
    for (std::int64_t g = 0; g < groups; ++g) {
      // Interleave rows 2g and 2g+1 (a zero row past the end) as int16 pairs, column by column.
      const std::int8_t* even = b.data() + 2 * g * n + j0;
      const std::int8_t* odd = 2 * g + 1 < k ? even + n : nullptr;
      std::int16_t pairs[2 * kGemmPanelCols];
      for (std::int64_t c = 0; c < cols; ++c) {
        pairs[2 * c] = even[c];
        pairs[2 * c + 1] = odd != nullptr ? odd[c] : 0;
      }
      // x86 is little endian, which is the byte order the kernels load.
      std::memcpy(panel + g * row_bytes, pairs, static_cast<std::size_t>(cols) * 4);
    }
  }
}

PackedInt8KxN PackInt8KxN(std::span<const std::int8_t> b, std::int64_t k, std::int64_t n) {
  PackedInt8KxN out;
  PackInt8KxNInto(b, k, n, &out);
  return out;
}

}  // namespace intvit::model
