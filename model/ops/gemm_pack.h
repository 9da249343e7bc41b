// Right-hand operands of the fast GEMMs (model/ops/gemm_int8.h), packed once into the panel layout
// the SIMD kernels read. Packing is pure data movement plus the +128 / sign-extension recoding
// below; docs/gemm.md draws the layout.
//
// Panel layout (shared by both packed types and by the AVX2 and AVX-512 kernels):
//   columns are cut into panels of kGemmPanelCols = 64; panel p holds columns [64p, 64p + W_p),
//   W_p = min(64, RoundUp(n - 64p, 16)); padding columns hold zeros.
//   Each panel is a sequence of "group rows", one per group of kGemmGroupBytes = 4 bytes of K per
//   column; a group row is W_p columns x 4 bytes, column-minor. Panel p starts at byte
//   64 * p * 4 * groups. So one 64-byte vector is 16 columns x one group, which is exactly the
//   operand vpdpbusd / vpdpwssd want.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <vector>

namespace intvit::model {

inline constexpr std::int64_t kGemmPanelCols = 64;
inline constexpr std::int64_t kGemmVectorCols = 16;
inline constexpr std::int64_t kGemmGroupBytes = 4;

// Legal K: int8 x int8 sums of up to 65536 terms stay within int32 (see GemmInt8), and the
// uint16 x int8 column sums stay within int32.
inline constexpr std::int64_t kGemmInt8MaxK = std::int64_t{1} << 16;
inline constexpr std::int64_t kGemmUint16Int8MaxK = std::int64_t{1} << 20;

// Width of panel p of an n-column operand.
constexpr std::int64_t GemmPanelWidth(std::int64_t n, std::int64_t p) {
  const std::int64_t left = n - p * kGemmPanelCols;
  const std::int64_t rounded = (left + kGemmVectorCols - 1) / kGemmVectorCols * kGemmVectorCols;
  return rounded < kGemmPanelCols ? rounded : kGemmPanelCols;
}
constexpr std::int64_t GemmPanelCount(std::int64_t n) {
  return (n + kGemmPanelCols - 1) / kGemmPanelCols;
}
// n rounded up to whole vectors: the number of columns the panels store.
constexpr std::int64_t GemmPaddedCols(std::int64_t n) {
  return (n + kGemmVectorCols - 1) / kGemmVectorCols * kGemmVectorCols;
}
constexpr std::int64_t GemmPanelOffsetBytes(std::int64_t p, std::int64_t groups) {
  return p * kGemmPanelCols * kGemmGroupBytes * groups;
}

// 64-byte aligned storage, so panel vectors never straddle a cache line. (The kernels still use
// unaligned loads everywhere; alignment is for speed only.)
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}  // NOLINT: allocator rebind
  T* allocate(std::size_t count) {
    return static_cast<T*>(::operator new (count * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* ptr, std::size_t) { ::operator delete (ptr, std::align_val_t{64}); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};
using CacheLineBytes = std::vector<std::uint8_t, CacheLineAllocator<std::uint8_t>>;

// A Linear weight W [N,K] (y = x * W^T + b), also q * k^T with W = k [tokens, d].
//   panels: one group = 4 consecutive k of one column j, each stored as w[j,k] + 128 in uint8
//           (w ^ 0x80). K is padded to a multiple of 4 with the byte 0, so a padding term
//           contributes x * 0 = 0.
struct PackedInt8Weights {
  std::int64_t n = 0;
  std::int64_t k = 0;
  std::vector<std::int8_t> rows;  // the original [N,K] row-major: the scalar path reads it
  CacheLineBytes panels;

  std::int64_t groups() const { return (k + 3) / 4; }
};

// Computes:   the packed form of w [n,k] row-major.
// Range:      k in [1, kGemmInt8MaxK], n >= 1, w.size() == n * k; throws InputError otherwise.
PackedInt8Weights PackInt8Weights(std::span<const std::int8_t> w, std::int64_t n, std::int64_t k);
// The same, reusing out's storage (for per-image operands such as the attention keys).
void PackInt8WeightsInto(std::span<const std::int8_t> w, std::int64_t n, std::int64_t k,
                         PackedInt8Weights* out);

// An int8 right operand B [K,N] row-major of GemmUint16Int8 (attention probabilities x V).
//   panels:   one group = 2 consecutive k of one column j, each sign-extended to int16 (little
//             endian), K padded to even with 0.
//   col_sums: sum_k b[k,j] for j < GemmPaddedCols(n) (0 for padding), |.| <= 128 * K < 2^28.
struct PackedInt8KxN {
  std::int64_t k = 0;
  std::int64_t n = 0;
  std::vector<std::int8_t> rows;  // the original [K,N] row-major: the scalar path reads it
  CacheLineBytes panels;
  std::vector<std::int32_t> col_sums;

  std::int64_t groups() const { return (k + 1) / 2; }
};

// Computes:   the packed form of b [k,n] row-major.
// Range:      k in [1, kGemmUint16Int8MaxK], n >= 1, b.size() == k * n; throws InputError
//             otherwise.
PackedInt8KxN PackInt8KxN(std::span<const std::int8_t> b, std::int64_t k, std::int64_t n);
void PackInt8KxNInto(std::span<const std::int8_t> b, std::int64_t k, std::int64_t n,
                     PackedInt8KxN* out);

}  // namespace intvit::model
