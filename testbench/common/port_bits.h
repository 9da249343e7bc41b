// Bit fields of Verilated top-level ports. Verilator maps a port of up to 8/16/32/64 bits to an
// unsigned integer (CData/SData/IData/QData) and a wider one to VlWide<words> (32-bit words,
// least significant first). Lane i of an intvit packed port is bits [i*W +: W].
#pragma once

#include <cstdint>
#include <type_traits>

#include "verilated.h"

namespace intvit::tb {

// Writes the low `width` bits of v (width <= 64) at bit `lsb`.
template <typename Port>
requires std::is_unsigned_v<Port>
inline void PutBits(Port& port, int lsb, int width, std::uint64_t v) {
  const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1);
  const std::uint64_t cur = static_cast<std::uint64_t>(port);
  port = static_cast<Port>((cur & ~(mask << lsb)) | ((v & mask) << lsb));
}

template <std::size_t N>
inline void PutBits(VlWide<N>& port, int lsb, int width, std::uint64_t v) {
  for (int done = 0; done < width;) {
    const int bit = lsb + done;
    const int word = bit / 32;
    const int off = bit % 32;
    const int n = std::min(32 - off, width - done);
    const std::uint32_t mask = n == 32 ? ~std::uint32_t{0} : ((std::uint32_t{1} << n) - 1);
    const std::uint32_t chunk = static_cast<std::uint32_t>(v >> done) & mask;
    port[word] = (port[word] & ~(mask << off)) | (chunk << off);
    done += n;
  }
}

// Reads `width` bits (width <= 64) at bit `lsb`, zero-extended.
template <typename Port>
requires std::is_unsigned_v<Port>
inline std::uint64_t GetBits(const Port& port, int lsb, int width) {
  const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1);
  return (static_cast<std::uint64_t>(port) >> lsb) & mask;
}

template <std::size_t N>
inline std::uint64_t GetBits(const VlWide<N>& port, int lsb, int width) {
  std::uint64_t v = 0;
  for (int done = 0; done < width;) {
    const int bit = lsb + done;
    const int off = bit % 32;
    const int n = std::min(32 - off, width - done);
    const std::uint64_t mask = (std::uint64_t{1} << n) - 1;
    v |= ((static_cast<std::uint64_t>(port[bit / 32]) >> off) & mask) << done;
    done += n;
  }
  return v;
}

// Sign-extends the low `width` bits of v.
constexpr std::int64_t SignExtend(std::uint64_t v, int width) {
  if (width >= 64) return static_cast<std::int64_t>(v);
  const std::uint64_t m = std::uint64_t{1} << (width - 1);
  v &= (std::uint64_t{1} << width) - 1;
  return static_cast<std::int64_t>((v ^ m) - m);
}

}  // namespace intvit::tb
