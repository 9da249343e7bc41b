// AVX-512 VNNI kernels. Only functions marked INTVIT_AVX512 use AVX-512; the file needs no
// compiler flags and is safe to link into binaries that run on older CPUs.
//
// int8 x int8 (vpdpbusd multiplies uint8 by int8): the panels hold w + 128 as uint8, x stays
// int8, so each lane accumulates sum x * (w + 128) = sum x * w + 128 * sum x. The accumulator
// starts at -128 * sum_k x[i,k] (computed per row), leaving exactly sum x * w.
// uint16 x int8 (vpdpwssd multiplies int16 pairs): a - 32768 fits int16, so each lane
// accumulates sum (a - 32768) * b and the accumulator starts at 32768 * sum_k b[k,j].
// docs/gemm.md bounds every intermediate.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "model/arith/saturate.h"
#include "model/ops/gemm_kernels.h"

// GCC 12's headers build non-masked intrinsics such as _mm512_srai_epi32 from a deliberately
// self-initialised "undefined" vector, which -Wmaybe-uninitialized misreports once inlined. This
// file uses the zero-masking or blend forms instead.
// Kernels avoid std::min / std::max: GCC 12 does not inline those default-target templates early
// into a target("avx512...") function, and the leftover calls stop it from keeping the
// accumulator arrays in registers (measured: 4x slower).
#define INTVIT_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define INTVIT_AVX512_INLINE INTVIT_AVX512 inline __attribute__((always_inline))

namespace intvit::model::gemm_detail {
namespace {

// Rows of x per tile; a tile is 4 rows x (16 * nv) columns, nv <= 4, so 16 accumulators, 4 panel
// vectors and a broadcast fit in the 32 registers. (6 or 8 rows measured slower.)
constexpr int kRows = 4;
constexpr int kU16Rows = 4;
constexpr int kVectorCols = static_cast<int>(kGemmVectorCols);

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

inline __mmask16 ColumnMask(int cols) {
  return cols >= kVectorCols ? static_cast<__mmask16>(0xFFFF)
                             : static_cast<__mmask16>((1u << cols) - 1u);
}

// sat32(a + b) for int32 lanes: on signed overflow a and b share a sign, and the exact result
// lies beyond the bound on that side.
INTVIT_AVX512_INLINE __m512i SaturatingAdd32(__m512i a, __m512i b) {
  const __m512i r = _mm512_add_epi32(a, b);
  const __m512i ov = _mm512_and_si512(_mm512_xor_si512(a, r), _mm512_xor_si512(b, r));
  const __mmask16 overflow = _mm512_cmplt_epi32_mask(ov, _mm512_setzero_si512());
  const __m512i bound =
      _mm512_mask_blend_epi32(_mm512_cmplt_epi32_mask(a, _mm512_setzero_si512()),
                              _mm512_set1_epi32(INT32_MAX), _mm512_set1_epi32(INT32_MIN));
  return _mm512_mask_blend_epi32(overflow, r, bound);
}

// acc + the dot products of 4 uint8 of b with 4 int8 of x per int32 lane (wrapping), in place.
// GCC 12 lowers _mm512_dpbusd_epi32 inside unrolled loops with a register copy per call (and
// spills); the one-instruction asm keeps the accumulators in their registers.
INTVIT_AVX512_INLINE void DotU8S8(__m512i& acc, __m512i b, __m512i x) {
  asm("vpdpbusd %[x], %[b], %[acc]" : [acc] "+v"(acc) : [b] "v"(b), [x] "v"(x));
}
// acc + the dot products of 2 int16 of a with 2 int16 of b per int32 lane (wrapping), in place.
INTVIT_AVX512_INLINE void DotS16S16(__m512i& acc, __m512i a, __m512i b) {
  asm("vpdpwssd %[b], %[a], %[acc]" : [acc] "+v"(acc) : [a] "v"(a), [b] "v"(b));
}

// corr[r] = -128 * sum_k x[r,k]; |sum| <= 2^23, so the product fits int32.
INTVIT_AVX512 void RowCorrections(const std::int8_t* x, std::int64_t rows, std::int64_t k,
                                  std::int32_t* corr) {
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* row = x + r * k;
    __m512i biased = _mm512_setzero_si512();  // sum (x + 128), in 64-bit lanes
    std::int64_t kk = 0;
    for (; kk + 64 <= k; kk += 64) {
      const __m512i v = _mm512_xor_si512(_mm512_loadu_si512(row + kk), flip);
      biased = _mm512_add_epi64(biased, _mm512_sad_epu8(v, _mm512_setzero_si512()));
    }
    std::int64_t lanes[8];
    _mm512_storeu_si512(lanes, biased);
    std::int64_t sum = -128 * kk;
    for (std::int64_t lane : lanes) sum += lane;
    for (; kk < k; ++kk) sum += row[kk];
    corr[r] = static_cast<std::int32_t>(-128 * sum);
  }
}

struct Int8Tile {
  const std::int8_t* x;  // first row of the tile; rows are k apart
  std::int64_t k;
  const std::uint8_t* panel;  // group row 0 of the panel
  std::int64_t group_bytes;   // bytes from one group row to the next: 4 * panel width
  const std::int32_t* corr;   // [rows]
  const std::int32_t* bias;   // at the tile's first column, or nullptr
  std::int32_t* y;            // output of the tile's first row and column
  std::int64_t ldy;
  int cols;  // valid columns, 1 .. 16 * NV
};

template <int MR, int NV>
INTVIT_AVX512 void Int8TileAvx512(const Int8Tile& t) {
  __m512i acc[MR][NV];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    const __m512i c = _mm512_set1_epi32(t.corr[r]);
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[r][v] = c;
  }
  const std::int64_t full = t.k / 4;
  const std::uint8_t* b = t.panel;
  for (std::int64_t g = 0; g < full; ++g, b += t.group_bytes) {
    __m512i bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m512i xv = _mm512_set1_epi32(LoadI32(t.x + r * t.k + 4 * g));
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) DotU8S8(acc[r][v], bv[v], xv);
    }
  }
  if (const std::int64_t rest = t.k % 4; rest != 0) {  // padding bytes of w are 0: no effect
    __m512i bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m512i xv = _mm512_set1_epi32(LoadPartialI32(t.x + r * t.k + 4 * full, rest));
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) DotU8S8(acc[r][v], bv[v], xv);
    }
  }
#pragma GCC unroll 8
  for (int v = 0; v < NV; ++v) {
    const __mmask16 mask = ColumnMask(t.cols - kVectorCols * v);
    const __m512i bias = t.bias != nullptr
                             ? _mm512_maskz_loadu_epi32(mask, t.bias + kVectorCols * v)
                             : _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      _mm512_mask_storeu_epi32(t.y + r * t.ldy + kVectorCols * v, mask,
                               SaturatingAdd32(acc[r][v], bias));
    }
  }
}

template <int MR>
INTVIT_AVX512 void Int8TileByWidth(int nv, const Int8Tile& t) {
  switch (nv) {
    case 1:
      return Int8TileAvx512<MR, 1>(t);
    case 2:
      return Int8TileAvx512<MR, 2>(t);
    case 3:
      return Int8TileAvx512<MR, 3>(t);
    default:
      return Int8TileAvx512<MR, 4>(t);
  }
}

INTVIT_AVX512 void Int8TileAny(int mr, int nv, const Int8Tile& t) {
  switch (mr) {
    case 1:
      return Int8TileByWidth<1>(nv, t);
    case 2:
      return Int8TileByWidth<2>(nv, t);
    case 3:
      return Int8TileByWidth<3>(nv, t);
    default:
      return Int8TileByWidth<4>(nv, t);
  }
}

struct U16Tile {
  const std::uint16_t* a;  // first row of the tile; rows are k apart
  std::int64_t k;
  const std::uint8_t* panel;
  std::int64_t group_bytes;
  const std::int32_t* col_sums;  // at the tile's first column, padded to whole vectors
  std::int32_t* y;
  std::int64_t ldy;
  int cols;
};

// Sums the k-groups [g0, g1) (a group is 2 values of k) of the tile into int32 lanes that start
// at 32768 * col_sums (with_offset) or 0, and stores the first `cols` columns of each row to out
// (rows ldo apart). The last group is partial when k is odd: its missing a is read as 0, i.e.
// -32768 after the flip, against a packed b of 0.
template <int MR, int NV>
INTVIT_AVX512 void U16Run(const U16Tile& t, std::int64_t g0, std::int64_t g1, bool with_offset,
                          std::int32_t* out, std::int64_t ldo, int cols) {
  __m512i start[NV];
#pragma GCC unroll 8
  for (int v = 0; v < NV; ++v) {
    start[v] = with_offset
                   ? _mm512_maskz_slli_epi32(static_cast<__mmask16>(0xFFFF),
                                             _mm512_loadu_si512(t.col_sums + kVectorCols * v), 15)
                   : _mm512_setzero_si512();
  }
  __m512i acc[MR][NV];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[r][v] = start[v];
  }
  const __m512i flip = _mm512_set1_epi32(static_cast<std::int32_t>(0x80008000u));
  const std::int64_t full = t.k / 2;
  const std::uint8_t* b = t.panel + g0 * t.group_bytes;
  const std::uint16_t* a = t.a + 2 * g0;
  const std::int64_t full_end = g1 < full ? g1 : full;
  const std::int64_t full_groups = full_end > g0 ? full_end - g0 : 0;
  for (std::int64_t g = 0; g < full_groups; ++g, b += t.group_bytes) {
    __m512i bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m512i av = _mm512_xor_si512(_mm512_set1_epi32(LoadI32(a + r * t.k + 2 * g)), flip);
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) DotS16S16(acc[r][v], av, bv[v]);
    }
  }
  if (g1 > full) {  // k is odd and this run holds the last, half-filled group
    __m512i bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const std::int32_t single = LoadPartialI32(t.a + r * t.k + 2 * full, 2);
      const __m512i av = _mm512_xor_si512(_mm512_set1_epi32(single), flip);
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) DotS16S16(acc[r][v], av, bv[v]);
    }
  }
#pragma GCC unroll 8
  for (int v = 0; v < NV; ++v) {
    const __mmask16 mask = ColumnMask(cols - kVectorCols * v);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      _mm512_mask_storeu_epi32(out + r * ldo + kVectorCols * v, mask, acc[r][v]);
    }
  }
}

template <int MR, int NV>
INTVIT_AVX512 void U16TileAvx512(const U16Tile& t) {
  const std::int64_t groups = (t.k + 1) / 2;
  if (t.k <= kGemmUint16Run) {
    // One run: the exact result fits int32 (|.| <= 65535 * 128 * 256 < 2^31), so wrapping int32
    // arithmetic from 32768 * colsum (|.| <= 2^30) lands on it exactly.
    U16Run<MR, NV>(t, 0, groups, /*with_offset=*/true, t.y, t.ldy, t.cols);
    return;
  }
  // Several runs of 256 values of k: each run is exact in int32, the runs add in int64.
  constexpr int kCols = kVectorCols * NV;
  std::int64_t total[MR][kCols] = {};
  std::int32_t run[MR][kCols];
  const std::int64_t run_groups = kGemmUint16Run / 2;
  for (std::int64_t g0 = 0; g0 < groups; g0 += run_groups) {
    const std::int64_t g1 = g0 + run_groups < groups ? g0 + run_groups : groups;
    U16Run<MR, NV>(t, g0, g1, /*with_offset=*/false, &run[0][0], kCols, kCols);
    for (int r = 0; r < MR; ++r) {
      for (int c = 0; c < kCols; ++c) total[r][c] += run[r][c];
    }
  }
  for (int r = 0; r < MR; ++r) {
    for (int c = 0; c < t.cols; ++c) {
      t.y[r * t.ldy + c] = SaturateToInt32(total[r][c] + 32768 * std::int64_t{t.col_sums[c]});
    }
  }
}

template <int MR>
INTVIT_AVX512 void U16TileByWidth(int nv, const U16Tile& t) {
  switch (nv) {
    case 1:
      return U16TileAvx512<MR, 1>(t);
    case 2:
      return U16TileAvx512<MR, 2>(t);
    case 3:
      return U16TileAvx512<MR, 3>(t);
    default:
      return U16TileAvx512<MR, 4>(t);
  }
}

INTVIT_AVX512 void U16TileAny(int mr, int nv, const U16Tile& t) {
  switch (mr) {
    case 1:
      return U16TileByWidth<1>(nv, t);
    case 2:
      return U16TileByWidth<2>(nv, t);
    case 3:
      return U16TileByWidth<3>(nv, t);
    default:
      return U16TileByWidth<4>(nv, t);
  }
}

}  // namespace

void GemmInt8Avx512Vnni(std::int64_t m, const std::int8_t* x, const PackedInt8Weights& w,
                        const std::int32_t* bias, std::int32_t* y) {
  const std::int64_t k = w.k;
  const std::int64_t n = w.n;
  const std::int64_t groups = w.groups();
  std::int32_t corr[kGemmRowBlock];
  for (std::int64_t i0 = 0; i0 < m; i0 += kGemmRowBlock) {
    const std::int64_t rows = std::min(kGemmRowBlock, m - i0);
    RowCorrections(x + i0 * k, rows, k, corr);
    for (std::int64_t p = 0; p < GemmPanelCount(n); ++p) {
      const std::int64_t j0 = p * kGemmPanelCols;
      const std::int64_t width = GemmPanelWidth(n, p);
      Int8Tile t{};
      t.k = k;
      t.panel = w.panels.data() + GemmPanelOffsetBytes(p, groups);
      t.group_bytes = width * kGemmGroupBytes;
      t.bias = bias != nullptr ? bias + j0 : nullptr;
      t.ldy = n;
      t.cols = static_cast<int>(std::min(kGemmPanelCols, n - j0));
      for (std::int64_t r = 0; r < rows; r += kRows) {
        t.x = x + (i0 + r) * k;
        t.corr = corr + r;
        t.y = y + (i0 + r) * n + j0;
        Int8TileAny(static_cast<int>(std::min<std::int64_t>(kRows, rows - r)),
                    static_cast<int>(width / kVectorCols), t);
      }
    }
  }
}

void GemmUint16Int8Avx512Vnni(std::int64_t m, const std::uint16_t* a, const PackedInt8KxN& b,
                              std::int32_t* y) {
  const std::int64_t k = b.k;
  const std::int64_t n = b.n;
  const std::int64_t groups = b.groups();
  for (std::int64_t i0 = 0; i0 < m; i0 += kGemmRowBlock) {
    const std::int64_t rows = std::min(kGemmRowBlock, m - i0);
    for (std::int64_t p = 0; p < GemmPanelCount(n); ++p) {
      const std::int64_t j0 = p * kGemmPanelCols;
      const std::int64_t width = GemmPanelWidth(n, p);
      U16Tile t{};
      t.k = k;
      t.panel = b.panels.data() + GemmPanelOffsetBytes(p, groups);
      t.group_bytes = width * kGemmGroupBytes;
      t.col_sums = b.col_sums.data() + j0;
      t.ldy = n;
      t.cols = static_cast<int>(std::min(kGemmPanelCols, n - j0));
      for (std::int64_t r = 0; r < rows; r += kU16Rows) {
        t.a = a + (i0 + r) * k;
        t.y = y + (i0 + r) * n + j0;
        U16TileAny(static_cast<int>(std::min<std::int64_t>(kU16Rows, rows - r)),
                   static_cast<int>(width / kVectorCols), t);
      }
    }
  }
}

}  // namespace intvit::model::gemm_detail
