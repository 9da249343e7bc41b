// The safetensors container: 8-byte little-endian header length N, N bytes of JSON header,
// then the raw data buffer. This layer knows tensors and string metadata only; what the
// metadata means (graph config, integer parameters) is specified with the ViT graph.
// The byte layout and every validation rule are documented in docs/model-format.md.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/common/error.h"
#include "model/tensor/dtype.h"

namespace intvit::model {

// A tensor as stored in the file: dtype, row-major shape and little-endian element bytes.
// A 0-d scalar has shape {} and one element; a tensor with a zero dimension has no bytes.
struct RawTensor {
  DType dtype = DType::kUint8;
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> bytes;

  // Product of the dims (1 for a scalar); -1 if a dim is negative or the product overflows
  // int64, which never happens for a tensor that ParseSafetensors returned.
  std::int64_t NumElements() const;

  friend bool operator==(const RawTensor&, const RawTensor&) = default;
};

struct SafetensorsFile {
  std::map<std::string, RawTensor> tensors;
  // "__metadata__": string keys to string values, as the safetensors standard requires.
  std::map<std::string, std::string> metadata;

  friend bool operator==(const SafetensorsFile&, const SafetensorsFile&) = default;
};

// Largest header accepted, in bytes; the same limit as the reference implementation.
inline constexpr std::uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;
// Largest rank accepted in a shape (NumPy 2 and PyTorch stop at 64 as well).
inline constexpr std::size_t kSafetensorsMaxRank = 64;

// Parses a whole file held in memory. Every departure from the format throws InputError
// "<source_name>: <what is wrong>", naming the tensor where one is involved.
SafetensorsFile ParseSafetensors(std::span<const std::uint8_t> file,
                                 const std::string& source_name);
// Reads and parses the file at path; messages name the path.
SafetensorsFile ReadSafetensors(const std::string& path);

// Canonical layout: tensors sorted by name and packed in that order, header compact JSON
// padded with spaces to a multiple of 8 bytes, "__metadata__" omitted when empty.
// Throws InputError for a tensor whose bytes do not match its dtype and shape.
std::vector<std::uint8_t> SerializeSafetensors(const SafetensorsFile& file);
// Writes path + ".tmp", then renames it over path, so readers never see a partial file.
void WriteSafetensors(const std::string& path, const SafetensorsFile& file);

namespace safetensors_internal {
// Unsigned integer of the same width as T, the type the little-endian codec works on.
template <typename T>
using Bits = std::conditional_t<
    sizeof(T) == 1, std::uint8_t,
    std::conditional_t<sizeof(T) == 2, std::uint16_t,
                       std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
}  // namespace safetensors_internal

// Decodes the elements of t. Throws InputError unless t.dtype is exactly DTypeOf<T>() and the
// byte count matches; `name` only labels the message.
template <typename T>
std::vector<T> TensorValues(const RawTensor& t, std::string_view name = "tensor") {
  using U = safetensors_internal::Bits<T>;
  constexpr DType kWant = DTypeOf<T>();
  Require(t.dtype == kWant, std::string(name) + " has dtype " +
                                std::string(DTypeSafetensorsName(t.dtype)) + ", expected " +
                                std::string(DTypeSafetensorsName(kWant)));
  Require(t.bytes.size() % sizeof(T) == 0 &&
              static_cast<std::int64_t>(t.bytes.size() / sizeof(T)) == t.NumElements(),
          std::string(name) + " has " + std::to_string(t.bytes.size()) +
              " bytes, which does not match its shape");
  std::vector<T> values(t.bytes.size() / sizeof(T));
  for (std::size_t i = 0; i < values.size(); ++i) {
    U u = 0;
    for (std::size_t b = 0; b < sizeof(T); ++b) {
      u = static_cast<U>(u | static_cast<U>(U{t.bytes[i * sizeof(T) + b]} << (8 * b)));
    }
    values[i] = std::bit_cast<T>(u);
  }
  return values;
}

// Builds a tensor of dtype DTypeOf<T>() from row-major values. Throws InputError if a dim is
// negative or the shape does not hold exactly values.size() elements.
template <typename T>
RawTensor MakeRawTensor(std::vector<std::int64_t> shape, std::span<const T> values) {
  using U = safetensors_internal::Bits<T>;
  RawTensor t{DTypeOf<T>(), std::move(shape), {}};
  std::int64_t numel = 1;
  for (std::int64_t d : t.shape) {
    Require(d >= 0, "MakeRawTensor: negative dimension " + std::to_string(d));
    Require(d == 0 || numel <= INT64_MAX / d, "MakeRawTensor: shape overflows int64");
    numel *= d;
  }
  Require(numel == static_cast<std::int64_t>(values.size()),
          "MakeRawTensor: shape holds " + std::to_string(numel) + " elements but " +
              std::to_string(values.size()) + " values were given");
  t.bytes.resize(values.size() * sizeof(T));
  for (std::size_t i = 0; i < values.size(); ++i) {
    const U u = std::bit_cast<U>(values[i]);
    for (std::size_t b = 0; b < sizeof(T); ++b) {
      t.bytes[i * sizeof(T) + b] = static_cast<std::uint8_t>(u >> (8 * b));
    }
  }
  return t;
}
template <typename T>
RawTensor MakeRawTensor(std::vector<std::int64_t> shape, const std::vector<T>& values) {
  return MakeRawTensor<T>(std::move(shape), std::span<const T>(values));
}

}  // namespace intvit::model
