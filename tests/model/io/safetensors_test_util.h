// Shared by the safetensors tests (safetensors_test.cc: round trips and the writer;
// safetensors_corrupt_test.cc: every malformed file is refused): byte-level file builders,
// the error a read or parse gives, and a sample file of every dtype.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "model/common/error.h"
#include "model/io/safetensors.h"

namespace intvit::model::safetensors_test {

using Bytes = std::vector<std::uint8_t>;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kSource = "t.safetensors";

// A file from header text and data bytes; the length field is the header's size.
inline Bytes FileOf(std::string_view header, const Bytes& data = {}) {
  Bytes f;
  for (int i = 0; i < 8; ++i) f.push_back(static_cast<std::uint8_t>(header.size() >> (8 * i)));
  f.insert(f.end(), header.begin(), header.end());
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

// The InputError message for a path that ReadSafetensors must refuse.
inline std::string ErrorOfPath(const std::string& path) {
  try {
    ReadSafetensors(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<read without error>";
}

// The InputError message for a file that must be refused, or a marker if it parsed.
inline std::string ErrorOf(const Bytes& file) {
  try {
    ParseSafetensors(file, kSource);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<parsed without error>";
}

// Every message names the file, then says what is wrong.
inline ::testing::Matcher<std::string> Says(const std::string& what) {
  return AllOf(StartsWith(std::string(kSource) + ": "), HasSubstr(what));
}

template <typename T>
RawTensor Make(std::vector<std::int64_t> shape, std::vector<T> values) {
  return MakeRawTensor<T>(std::move(shape), values);
}

// One tensor of every dtype, covering scalars, empty tensors and the extremes of each type.
inline SafetensorsFile SampleFile() {
  using L8 = std::numeric_limits<std::int8_t>;
  using L16 = std::numeric_limits<std::int16_t>;
  using L32 = std::numeric_limits<std::int32_t>;
  using L64 = std::numeric_limits<std::int64_t>;
  SafetensorsFile f;
  f.tensors["i8.matrix"] = Make<std::int8_t>({2, 3}, {L8::min(), -1, 0, 1, 2, L8::max()});
  f.tensors["u8.scalar"] = Make<std::uint8_t>({}, {255});
  f.tensors["i16.rank4"] = Make<std::int16_t>({1, 1, 1, 3}, {L16::min(), -2, L16::max()});
  f.tensors["u16.vector"] = Make<std::uint16_t>({2}, {0, 65535});
  f.tensors["i32.empty"] = Make<std::int32_t>({2, 0, 3}, {});
  f.tensors["i32.vector"] = Make<std::int32_t>({3}, {L32::min(), 0x01020304, L32::max()});
  f.tensors["i64.scalar"] = Make<std::int64_t>({}, {L64::min()});
  f.tensors["i64.zero_len"] = Make<std::int64_t>({0}, {});
  f.tensors["f32.vector"] = Make<float>({2}, {1.0f, -0.0f});
  f.metadata["intvit.config"] = R"({"depth": 12, "name": "deit-tiny"})";
  f.metadata["note"] = "UTF-8: \xc3\xa9\xe2\x82\xac";
  return f;
}

}  // namespace intvit::model::safetensors_test
