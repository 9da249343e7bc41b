// Malformed safetensors files: each is refused with a message naming the file and the fault,
// and truncations, byte flips and header mutations parse or are refused, never crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "model/io/safetensors.h"
#include "tests/model/io/safetensors_test_util.h"

namespace intvit::model {
namespace {

using namespace safetensors_test;  // NOLINT(google-build-using-namespace): the shared helpers

TEST(SafetensorsCorrupt, NulByteEndsNothing) {
  // nlohmann treats a NUL as the end of its input; the header must not hide bytes after one.
  const std::string header = std::string("{}\0garbage", 10) + std::string(6, ' ');
  EXPECT_THAT(ErrorOf(FileOf(header)),
              Says("header is not valid JSON: NUL byte at offset 2"));
}

// ---- Corrupt files: each one is refused with a message that says what is wrong. ----

// One well-formed U8 entry, to pad headers whose point is elsewhere.
constexpr const char* kU8x2 = R"({"dtype":"U8","shape":[2],"data_offsets":[0,2]})";

TEST(SafetensorsCorrupt, FileShorterThanTheLengthField) {
  EXPECT_THAT(ErrorOf({}), Says("file is 0 bytes, shorter than the 8-byte header length"));
  EXPECT_THAT(ErrorOf({2, 0, 0}), Says("file is 3 bytes"));
}

TEST(SafetensorsCorrupt, HeaderLengthPastTheEndOfTheFile) {
  Bytes f = FileOf("{}");
  f[0] = 3;
  EXPECT_THAT(ErrorOf(f), Says("header length 3 exceeds the 2 bytes that follow"));
}

TEST(SafetensorsCorrupt, HeaderLengthOverTheCap) {
  Bytes f = FileOf("{}");
  for (int i = 0; i < 8; ++i) f[i] = 0xFF;
  EXPECT_THAT(ErrorOf(f),
              Says("header length 18446744073709551615 exceeds the limit of 100000000"));
  const std::uint64_t n = kSafetensorsMaxHeaderBytes + 1;
  for (int i = 0; i < 8; ++i) f[i] = static_cast<std::uint8_t>(n >> (8 * i));
  EXPECT_THAT(ErrorOf(f), Says("exceeds the limit"));
}

TEST(SafetensorsCorrupt, HeaderIsNotJson) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":)")), Says("header is not valid JSON"));
  EXPECT_THAT(ErrorOf(FileOf(R"({w})")), Says("header is not valid JSON"));
  EXPECT_THAT(ErrorOf(FileOf("{} x")), Says("header is not valid JSON"));
  EXPECT_THAT(ErrorOf(FileOf("{\"\xff\":1}")), Says("header is not valid JSON"));
}

TEST(SafetensorsCorrupt, HeaderIsNotAnObject) {
  EXPECT_THAT(ErrorOf(FileOf("[]")), Says("header must be a JSON object starting with '{'"));
  EXPECT_THAT(ErrorOf(FileOf("")), Says("header must be a JSON object"));
  EXPECT_THAT(ErrorOf(FileOf(" {}")), Says("header must be a JSON object"));
}

TEST(SafetensorsCorrupt, EntryIsNotAnObject) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":3})")),
              Says("tensor 'w': entry must be an object, got a number"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":[]})")),
              Says("tensor 'w': entry must be an object, got an array"));
}

TEST(SafetensorsCorrupt, MissingField) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[0]}})")),
              Says("tensor 'w': missing field 'data_offsets'"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","data_offsets":[0,0]}})")),
              Says("tensor 'w': missing field 'shape'"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"shape":[0],"data_offsets":[0,0]}})")),
              Says("tensor 'w': missing field 'dtype'"));
}

TEST(SafetensorsCorrupt, UnknownField) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0],"x":1}})")),
              Says("tensor 'w': unknown field 'x'"));
}

TEST(SafetensorsCorrupt, IllTypedFields) {
  const auto err = [](const std::string& entry) {
    return ErrorOf(FileOf("{\"w\":" + entry + "}"));
  };
  EXPECT_THAT(err(R"({"dtype":8,"shape":[],"data_offsets":[0,1]})"),
              Says("tensor 'w': dtype must be a string, got a number"));
  EXPECT_THAT(err(R"({"dtype":null,"shape":[],"data_offsets":[0,1]})"),
              Says("tensor 'w': dtype must be a string, got null"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":"2","data_offsets":[0,2]})"),
              Says("tensor 'w': shape must be an array of non-negative integers, got a string"));
  EXPECT_THAT(
      err(R"({"dtype":"U8","shape":[1.5],"data_offsets":[0,2]})"),
      Says("tensor 'w': shape must hold non-negative integers, got the non-integer number 1.5"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[[2]],"data_offsets":[0,2]})"),
              Says("tensor 'w': shape must hold non-negative integers, got an array"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[true],"data_offsets":[0,2]})"), Says("got a boolean"));
  EXPECT_THAT(
      err(R"({"dtype":"U8","shape":[2],"data_offsets":{}})"),
      Says("tensor 'w': data_offsets must be an array of non-negative integers, got an object"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[0],"data_offsets":[0]})"),
              Says("tensor 'w': data_offsets must be [begin, end], got 1 numbers"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[0],"data_offsets":[0,0,0]})"),
              Says("tensor 'w': data_offsets must be [begin, end], got more numbers"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[0],"data_offsets":[-1,0]})"),
              Says("tensor 'w': data_offsets must hold non-negative integers, got -1"));
  EXPECT_THAT(err(R"({"dtype":"U8","shape":[0],"data_offsets":[0,1e0]})"),
              Says("got the non-integer number 1e0"));
}

TEST(SafetensorsCorrupt, UnknownDType) {
  EXPECT_THAT(
      ErrorOf(FileOf(R"({"w":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})")),
      Says("tensor 'w': unsupported dtype 'BF16' (supported: I8, U8, I16, U16, I32, I64, F32)"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"i8","shape":[1],"data_offsets":[0,1]}})")),
              Says("unsupported dtype 'i8'"));
}

TEST(SafetensorsCorrupt, NegativeOrHugeDimension) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[2,-1],"data_offsets":[0,0]}})")),
              Says("tensor 'w': shape has negative or out-of-range dimension -1"));
  EXPECT_THAT(ErrorOf(FileOf(
                  R"({"w":{"dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,0]}})")),
              Says("out-of-range dimension 18446744073709551615"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[1e30],"data_offsets":[0,0]}})")),
              Says("non-integer number 1e30"));
}

TEST(SafetensorsCorrupt, ShapeProductOverflows) {
  const auto err = [](const std::string& dtype, const std::string& shape) {
    return ErrorOf(FileOf(R"({"w":{"dtype":")" + dtype + R"(","shape":)" + shape +
                          R"(,"data_offsets":[0,0]}})"));
  };
  EXPECT_THAT(err("U8", "[4294967296,4294967296]"),
              Says("tensor 'w': shape [4294967296, 4294967296] has too many elements"));
  // Elements fit int64 but bytes do not fit u64.
  EXPECT_THAT(err("I64", "[2305843009213693952,2]"), Says("has too many elements"));
  // Overflow before a zero dimension is still overflow.
  EXPECT_THAT(err("U8", "[4294967296,4294967296,0]"), Says("has too many elements"));
}

TEST(SafetensorsCorrupt, TooManyDimensions) {
  std::string shape = "[1";
  for (int i = 1; i <= 64; ++i) shape += ",1";
  EXPECT_THAT(ErrorOf(FileOf(
                  R"({"w":{"dtype":"U8","shape":)" + shape + R"(],"data_offsets":[0,1]}})", {0})),
              Says("tensor 'w': shape has more than 64 dimensions"));
}

TEST(SafetensorsCorrupt, OffsetsOutOfOrderOrPastTheBuffer) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}})", Bytes(4))),
              Says("tensor 'w': data_offsets [4, 0] have begin > end"));
  EXPECT_THAT(
      ErrorOf(FileOf(R"({"w":{"dtype":"U8","shape":[16],"data_offsets":[0,16]}})", Bytes(8))),
      Says("tensor 'w': data_offsets [0, 16] extend past the 8-byte data buffer"));
  EXPECT_THAT(ErrorOf(FileOf(
                  R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551615]}})")),
              Says("extend past the 0-byte data buffer"));
}

TEST(SafetensorsCorrupt, ByteLengthDoesNotMatchShape) {
  EXPECT_THAT(
      ErrorOf(FileOf(R"({"w":{"dtype":"I32","shape":[2],"data_offsets":[0,6]}})", Bytes(6))),
      Says("tensor 'w': data_offsets [0, 6] span 6 bytes but shape [2] of I32 needs 8"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"w":{"dtype":"I16","shape":[],"data_offsets":[0,0]}})")),
              Says("span 0 bytes but shape [] of I16 needs 2"));
}

TEST(SafetensorsCorrupt, OverlappingTensors) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})",
                             Bytes(6))),
              Says("tensors 'a' and 'b' overlap in the data buffer"));
  EXPECT_THAT(ErrorOf(FileOf(std::string(R"({"a":)") + kU8x2 + R"(,"b":)" + kU8x2 + "}", Bytes(2))),
              Says("tensors 'a' and 'b' overlap"));
}

TEST(SafetensorsCorrupt, GapBetweenTensors) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                             R"("b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}})",
                             Bytes(6))),
              Says("bytes [2, 4) of the data buffer belong to no tensor (gap before tensor 'b')"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", Bytes(3))),
              Says("bytes [0, 1) of the data buffer belong to no tensor"));
}

TEST(SafetensorsCorrupt, TrailingBytes) {
  EXPECT_THAT(ErrorOf(FileOf(std::string(R"({"a":)") + kU8x2 + "}", Bytes(3))),
              Says("trailing bytes: the data buffer has 3 bytes but the tensors cover only 2"));
  EXPECT_THAT(ErrorOf(FileOf("{}", {0})), Says("trailing bytes"));
}

TEST(SafetensorsCorrupt, DuplicateKeys) {
  EXPECT_THAT(ErrorOf(FileOf(std::string(R"({"a":)") + kU8x2 + R"(,"a":)" + kU8x2 + "}", Bytes(2))),
              Says("duplicate tensor 'a'"));
  EXPECT_THAT(
      ErrorOf(FileOf(R"({"w":{"dtype":"U8","dtype":"U8","shape":[0],"data_offsets":[0,0]}})")),
      Says("tensor 'w': duplicate field 'dtype'"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":{"k":"1","k":"2"}})")),
              Says("duplicate __metadata__ key 'k'"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":{},"__metadata__":{}})")),
              Says("duplicate key '__metadata__'"));
}

TEST(SafetensorsCorrupt, MetadataValuesMustBeStrings) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":{"k":1}})")),
              Says("__metadata__ value of 'k' must be a string, got a number"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":{"k":{"x":"y"}}})")),
              Says("__metadata__ value of 'k' must be a string, got an object"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":{"k":["x"]}})")),
              Says("__metadata__ value of 'k' must be a string, got an array"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":["k"]})")),
              Says("__metadata__ must be an object of strings, got an array"));
  EXPECT_THAT(ErrorOf(FileOf(R"({"__metadata__":"k"})")),
              Says("__metadata__ must be an object of strings, got a string"));
}

TEST(SafetensorsCorrupt, NamesInMessagesAreEscapedAndShortened) {
  EXPECT_THAT(ErrorOf(FileOf(R"({"a\nb":3})")), Says("tensor 'a\\x0ab': entry must be an object"));
  const std::string message = ErrorOf(FileOf("{\"" + std::string(1000, 'x') + "\":3}"));
  EXPECT_THAT(message, Says("tensor '" + std::string(80, 'x') + "'...: entry must be"));
}

// ---- Fuzzing: a mutated file either parses or is refused with InputError, nothing else. ----

// Parses and, on success, checks that the result survives a write and re-read unchanged.
// Returns true if it parsed; records a failure for any exception other than InputError.
bool ParsesOrRefuses(const Bytes& file, const std::string& label) {
  try {
    const SafetensorsFile f = ParseSafetensors(file, kSource);
    EXPECT_EQ(ParseSafetensors(SerializeSafetensors(f), kSource), f) << label;
    return true;
  } catch (const InputError&) {
    return false;
  } catch (const std::exception& e) {
    ADD_FAILURE() << label << ": unexpected exception: " << e.what();
  } catch (...) {
    ADD_FAILURE() << label << ": unexpected non-standard exception";
  }
  return false;
}

TEST(SafetensorsFuzz, EveryTruncationIsRefused) {
  const Bytes file = SerializeSafetensors(SampleFile());
  for (std::size_t n = 0; n < file.size(); ++n) {
    EXPECT_THROW(ParseSafetensors(std::span(file).first(n), kSource), InputError) << "prefix " << n;
  }
  Bytes longer = file;
  longer.push_back(0);
  EXPECT_THROW(ParseSafetensors(longer, kSource), InputError);
}

TEST(SafetensorsFuzz, RandomByteFlipsParseOrRefuse) {
  const Bytes file = SerializeSafetensors(SampleFile());
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<std::size_t> pos(0, file.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), count(1, 4);
  for (int trial = 0; trial < 4000; ++trial) {
    Bytes f = file;
    for (int k = count(rng); k > 0; --k) f[pos(rng)] = static_cast<std::uint8_t>(byte(rng));
    ParsesOrRefuses(f, "flip trial " + std::to_string(trial));
  }
}

// Random bytes rarely keep the JSON valid, so also substitute JSON-significant characters
// inside the header, which reaches the schema and offset checks far more often.
TEST(SafetensorsFuzz, HeaderTokenMutationsParseOrRefuse) {
  const Bytes file = SerializeSafetensors(SampleFile());
  const std::size_t header_end = 8 + file[0] + (std::size_t{file[1]} << 8);
  const std::string alphabet = "0123456789-.,:[]{}\" eE";
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pos(8, header_end - 1);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> count(1, 3);
  int parsed = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    Bytes f = file;
    for (int k = count(rng); k > 0; --k)
      f[pos(rng)] = static_cast<std::uint8_t>(alphabet[pick(rng)]);
    parsed += ParsesOrRefuses(f, "token trial " + std::to_string(trial));
  }
  EXPECT_GT(parsed, 0);  // some mutations stay valid (e.g. inside metadata strings)
}


}  // namespace
}  // namespace intvit::model
