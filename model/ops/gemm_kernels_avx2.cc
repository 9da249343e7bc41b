// AVX2 kernels, on the same packed panels as the AVX-512 ones. Only functions marked
// INTVIT_AVX2 use AVX2; the file needs no compiler flags.
//
// Both kernels multiply with vpmaddwd on operands widened to int16, which is exact: each int32
// lane gets the sum of two int16 x int16 products. (vpmaddubsw is avoided on purpose: it
// saturates its int16 pair sums, and 255 * 127 * 2 does not fit.)
// int8 x int8: a 16-byte slice of a group row is 4 columns x 4 values of k (w + 128, uint8).
// Zero-extended to 16 int16 and multiplied by x[k..k+3] sign-extended and repeated, it leaves
// two partial sums per column (k0+k1, k2+k3) in adjacent lanes; vphaddd joins them at the end.
// The row correction -128 * sum_k x is added then. uint16 x int8: as the AVX-512 kernel, with
// 8 columns per vector.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "model/arith/saturate.h"
#include "model/ops/gemm_kernels.h"

#define INTVIT_AVX2 __attribute__((target("avx2")))
#define INTVIT_AVX2_INLINE INTVIT_AVX2 inline __attribute__((always_inline))

namespace intvit::model::gemm_detail {
namespace {

constexpr int kTileCols = static_cast<int>(kGemmVectorCols);  // one 64-byte slice of a group row
constexpr int kInt8Rows = 2;  // 2 rows x 4 column quads = 8 accumulators of the 16 registers
constexpr int kU16Rows = 4;   // 4 rows x 2 column octets

inline std::int32_t LoadI32(const void* p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline std::int32_t LoadPartialI32(const void* p, std::int64_t bytes) {
  std::int32_t v = 0;
  std::memcpy(&v, p, static_cast<std::size_t>(bytes));
  return v;
}

// sat32(a + b) per int32 lane (see the AVX-512 version).
INTVIT_AVX2_INLINE __m256i SaturatingAdd32(__m256i a, __m256i b) {
  const __m256i r = _mm256_add_epi32(a, b);
  const __m256i ov = _mm256_and_si256(_mm256_xor_si256(a, r), _mm256_xor_si256(b, r));
  const __m256i bound = _mm256_xor_si256(_mm256_srai_epi32(a, 31), _mm256_set1_epi32(INT32_MAX));
  return _mm256_blendv_epi8(r, bound, _mm256_srai_epi32(ov, 31));
}

// Stores the first `cols` (1..8) lanes of v.
INTVIT_AVX2_INLINE void StoreCols(std::int32_t* y, __m256i v, int cols) {
  if (cols >= 8) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y), v);
    return;
  }
  std::int32_t tmp[8];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(tmp), v);
  std::memcpy(y, tmp, static_cast<std::size_t>(cols) * sizeof(std::int32_t));
}

// Loads the first `cols` (1..8) entries of p, zeros after.
INTVIT_AVX2_INLINE __m256i LoadCols(const std::int32_t* p, int cols) {
  if (cols >= 8) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  std::int32_t tmp[8] = {};
  std::memcpy(tmp, p, static_cast<std::size_t>(cols) * sizeof(std::int32_t));
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tmp));
}

// corr[r] = -128 * sum_k x[r,k].
INTVIT_AVX2 void RowCorrections(const std::int8_t* x, std::int64_t rows, std::int64_t k,
                                std::int32_t* corr) {
  const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* row = x + r * k;
    __m256i biased = _mm256_setzero_si256();  // sum (x + 128), in 64-bit lanes
    std::int64_t kk = 0;
    for (; kk + 32 <= k; kk += 32) {
      const __m256i v =
          _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + kk)), flip);
      biased = _mm256_add_epi64(biased, _mm256_sad_epu8(v, _mm256_setzero_si256()));
    }
    std::int64_t lanes[4];
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes), biased);
    std::int64_t sum = lanes[0] + lanes[1] + lanes[2] + lanes[3] - 128 * kk;
    for (; kk < k; ++kk) sum += row[kk];
    corr[r] = static_cast<std::int32_t>(-128 * sum);
  }
}

struct Int8Tile {
  const std::int8_t* x;
  std::int64_t k;
  const std::uint8_t* slice;  // this tile's 64-byte slice of group row 0
  std::int64_t group_bytes;
  const std::int32_t* corr;
  const std::int32_t* bias;  // at the tile's first column, or nullptr
  std::int32_t* y;
  std::int64_t ldy;
  int cols;  // 1..16
};

template <int MR>
INTVIT_AVX2_INLINE void Int8Group(__m256i (&acc)[MR][4], const std::uint8_t* b,
                                  const std::int32_t (&xq)[MR]) {
  __m256i xv[MR];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) xv[r] = _mm256_cvtepi8_epi16(_mm_set1_epi32(xq[r]));
#pragma GCC unroll 8
  for (int q = 0; q < 4; ++q) {
    const __m256i bq =
        _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * q)));
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(bq, xv[r]));
    }
  }
}

template <int MR>
INTVIT_AVX2 void Int8TileAvx2(const Int8Tile& t) {
  __m256i acc[MR][4];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 8
    for (int q = 0; q < 4; ++q) acc[r][q] = _mm256_setzero_si256();
  }
  const std::int64_t full = t.k / 4;
  const std::uint8_t* b = t.slice;
  std::int32_t xq[MR];
  for (std::int64_t g = 0; g < full; ++g, b += t.group_bytes) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) xq[r] = LoadI32(t.x + r * t.k + 4 * g);
    Int8Group<MR>(acc, b, xq);
  }
  if (const std::int64_t rest = t.k % 4; rest != 0) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) xq[r] = LoadPartialI32(t.x + r * t.k + 4 * full, rest);
    Int8Group<MR>(acc, b, xq);
  }
#pragma GCC unroll 2
  for (int h = 0; h < 2; ++h) {  // columns 8h .. 8h+7
    const int cols = t.cols - 8 * h;
    if (cols <= 0) break;
    const __m256i bias =
        t.bias != nullptr ? LoadCols(t.bias + 8 * h, cols) : _mm256_setzero_si256();
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      // hadd gives columns (0 1 4 5 | 2 3 6 7); the 64-bit permute puts them in order.
      __m256i s = _mm256_hadd_epi32(acc[r][2 * h], acc[r][2 * h + 1]);
      s = _mm256_permute4x64_epi64(s, 0xD8);
      s = _mm256_add_epi32(s, _mm256_set1_epi32(t.corr[r]));
      StoreCols(t.y + r * t.ldy + 8 * h, SaturatingAdd32(s, bias), cols);
    }
  }
}

INTVIT_AVX2 void Int8TileAny(int mr, const Int8Tile& t) {
  if (mr >= 2) {
    Int8TileAvx2<2>(t);
  } else {
    Int8TileAvx2<1>(t);
  }
}

struct U16Tile {
  const std::uint16_t* a;
  std::int64_t k;
  const std::uint8_t* slice;
  std::int64_t group_bytes;
  const std::int32_t* col_sums;  // at the tile's first column, padded to 16
  std::int32_t* y;
  std::int64_t ldy;
  int cols;  // 1..16
};

template <int MR>
INTVIT_AVX2_INLINE void U16Group(__m256i (&acc)[MR][2], const std::uint8_t* b,
                                 const std::int32_t (&pairs)[MR]) {
  const __m256i flip = _mm256_set1_epi32(static_cast<std::int32_t>(0x80008000u));
  const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
  const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 32));
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    const __m256i av = _mm256_xor_si256(_mm256_set1_epi32(pairs[r]), flip);
    acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));
    acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));
  }
}

// Adds groups [g0, g1) into acc; see U16Run in the AVX-512 file for the odd-k tail.
template <int MR>
INTVIT_AVX2_INLINE void U16Run(__m256i (&acc)[MR][2], const U16Tile& t, std::int64_t g0,
                               std::int64_t g1) {
  const std::int64_t full = t.k / 2;
  const std::uint8_t* b = t.slice + g0 * t.group_bytes;
  std::int32_t pairs[MR];
  const std::int64_t g_full_end = g1 < full ? g1 : full;  // no std::min: see the AVX-512 file
  for (std::int64_t g = g0; g < g_full_end; ++g, b += t.group_bytes) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) pairs[r] = LoadI32(t.a + r * t.k + 2 * g);
    U16Group<MR>(acc, b, pairs);
  }
  if (g1 > full) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) pairs[r] = LoadPartialI32(t.a + r * t.k + 2 * full, 2);
    U16Group<MR>(acc, b, pairs);
  }
}

template <int MR>
INTVIT_AVX2 void U16TileAvx2(const U16Tile& t) {
  const std::int64_t groups = (t.k + 1) / 2;
  __m256i acc[MR][2];
  if (t.k <= kGemmUint16Run) {  // one run: exact in wrapping int32 (see the AVX-512 kernel)
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
      const __m256i offset = _mm256_slli_epi32(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.col_sums + 8 * h)), 15);
#pragma GCC unroll 8
      for (int r = 0; r < MR; ++r) acc[r][h] = offset;
    }
    U16Run<MR>(acc, t, 0, groups);
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
      const int cols = t.cols - 8 * h;
      if (cols <= 0) break;
#pragma GCC unroll 8
      for (int r = 0; r < MR; ++r) StoreCols(t.y + r * t.ldy + 8 * h, acc[r][h], cols);
    }
    return;
  }
  std::int64_t total[MR][kTileCols] = {};
  std::int32_t run[kTileCols];
  const std::int64_t run_groups = kGemmUint16Run / 2;
  for (std::int64_t g0 = 0; g0 < groups; g0 += run_groups) {
    for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    U16Run<MR>(acc, t, g0, g0 + run_groups < groups ? g0 + run_groups : groups);
    for (int r = 0; r < MR; ++r) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(run), acc[r][0]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(run + 8), acc[r][1]);
      for (int c = 0; c < kTileCols; ++c) total[r][c] += run[c];
    }
  }
  for (int r = 0; r < MR; ++r) {
    for (int c = 0; c < t.cols; ++c) {
      t.y[r * t.ldy + c] = SaturateToInt32(total[r][c] + 32768 * std::int64_t{t.col_sums[c]});
    }
  }
}

INTVIT_AVX2 void U16TileAny(int mr, const U16Tile& t) {
  switch (mr) {
    case 1:
      return U16TileAvx2<1>(t);
    case 2:
      return U16TileAvx2<2>(t);
    case 3:
      return U16TileAvx2<3>(t);
    default:
      return U16TileAvx2<4>(t);
  }
}

}  // namespace

void GemmInt8Avx2(std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
                  const std::int32_t* bias, std::int32_t* y) {
  const std::int64_t k = w.k;
  const std::int64_t n = w.n;
  const std::int64_t groups = w.groups();
  std::int32_t corr[kGemmRowBlock];
  for (std::int64_t i0 = 0; i0 < m; i0 += kGemmRowBlock) {
    const std::int64_t rows = std::min(kGemmRowBlock, m - i0);
    RowCorrections(x + i0 * k, rows, k, corr);
    for (std::int64_t j0 = 0; j0 < n; j0 += kTileCols) {
      const std::int64_t p = j0 / kGemmPanelCols;
      Int8Tile t{};
      t.k = k;
      t.slice = w.panels.data() + GemmPanelOffsetBytes(p, groups) +
                (j0 % kGemmPanelCols) * kGemmGroupBytes;
      t.group_bytes = GemmPanelWidth(n, p) * kGemmGroupBytes;
      t.bias = bias != nullptr ? bias + j0 : nullptr;
      t.ldy = n;
      t.cols = static_cast<int>(std::min<std::int64_t>(kTileCols, n - j0));
      for (std::int64_t r = 0; r < rows; r += kInt8Rows) {
        t.x = x + (i0 + r) * k;
        t.corr = corr + r;
        t.y = y + (i0 + r) * n + j0;
        Int8TileAny(static_cast<int>(std::min<std::int64_t>(kInt8Rows, rows - r)), t);
      }
    }
  }
}

void GemmUint16Int8Avx2(std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                        std::int32_t* y) {
  const std::int64_t k = b.k;
  const std::int64_t n = b.n;
  const std::int64_t groups = b.groups();
  for (std::int64_t i0 = 0; i0 < m; i0 += kGemmRowBlock) {
    const std::int64_t rows = std::min(kGemmRowBlock, m - i0);
    for (std::int64_t j0 = 0; j0 < n; j0 += kTileCols) {
      const std::int64_t p = j0 / kGemmPanelCols;
      U16Tile t{};
      t.k = k;
      t.slice = b.panels.data() + GemmPanelOffsetBytes(p, groups) +
                (j0 % kGemmPanelCols) * kGemmGroupBytes;
      t.group_bytes = GemmPanelWidth(n, p) * kGemmGroupBytes;
      t.col_sums = b.col_sums.data() + j0;
      t.ldy = n;
      t.cols = static_cast<int>(std::min<std::int64_t>(kTileCols, n - j0));
      for (std::int64_t r = 0; r < rows; r += kU16Rows) {
        t.a = a + (i0 + r) * k;
        t.y = y + (i0 + r) * n + j0;
        U16TileAny(static_cast<int>(std::min<std::int64_t>(kU16Rows, rows - r)), t);
      }
    }
  }
}

}  // namespace intvit::model::gemm_detail
