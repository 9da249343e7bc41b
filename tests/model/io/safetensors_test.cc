#include "model/io/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace intvit::model {
namespace {

using Bytes = std::vector<std::uint8_t>;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kSource = "t.safetensors";

// A file from header text and data bytes; the length field is the header's size.
Bytes FileOf(std::string_view header, const Bytes& data = {}) {
  Bytes f;
  for (int i = 0; i < 8; ++i) f.push_back(static_cast<std::uint8_t>(header.size() >> (8 * i)));
  f.insert(f.end(), header.begin(), header.end());
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

// The InputError message for a path that ReadSafetensors must refuse.
std::string ErrorOfPath(const std::string& path) {
  try {
    ReadSafetensors(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<read without error>";
}

// The InputError message for a file that must be refused, or a marker if it parsed.
std::string ErrorOf(const Bytes& file) {
  try {
    ParseSafetensors(file, kSource);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<parsed without error>";
}

// Every message names the file, then says what is wrong.
::testing::Matcher<std::string> Says(const std::string& what) {
  return AllOf(StartsWith(std::string(kSource) + ": "), HasSubstr(what));
}

template <typename T>
RawTensor Make(std::vector<std::int64_t> shape, std::vector<T> values) {
  return MakeRawTensor<T>(std::move(shape), values);
}

// One tensor of every dtype, covering scalars, empty tensors and the extremes of each type.
SafetensorsFile SampleFile() {
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

TEST(Safetensors, RoundTripsInMemory) {
  const SafetensorsFile f = SampleFile();
  EXPECT_EQ(ParseSafetensors(SerializeSafetensors(f), kSource), f);
}

TEST(Safetensors, RoundTripsThroughAFileAndLeavesNoTemporary) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/roundtrip.safetensors";
  WriteSafetensors(path, SafetensorsFile{});  // then overwritten in place
  WriteSafetensors(path, SampleFile());
  EXPECT_EQ(ReadSafetensors(path), SampleFile());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove(path);
}

TEST(Safetensors, EmptyFileRoundTrips) {
  const Bytes bytes = SerializeSafetensors(SafetensorsFile{});
  EXPECT_EQ(bytes, FileOf("{}      "));
  EXPECT_EQ(ParseSafetensors(bytes, kSource), SafetensorsFile{});
}

TEST(Safetensors, SerializationIsCanonicalAndAligned) {
  const Bytes bytes = SerializeSafetensors(SampleFile());
  const std::uint64_t n = bytes[0] | (std::uint64_t{bytes[1]} << 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(SerializeSafetensors(ParseSafetensors(bytes, kSource)), bytes);
}

// Byte-exact output of the writer: sorted keys, compact JSON, space padding to 8 bytes.
TEST(Safetensors, WriterProducesTheDocumentedBytes) {
  SafetensorsFile f;
  f.tensors["w"] = Make<std::int16_t>({2}, {1, -2});
  f.tensors["s"] = Make<std::uint8_t>({}, {7});
  f.metadata["k"] = "v";
  const std::string header =
      R"({"__metadata__":{"k":"v"},"s":{"data_offsets":[0,1],"dtype":"U8","shape":[]},)"
      R"("w":{"data_offsets":[1,5],"dtype":"I16","shape":[2]}})"
      "      ";
  Bytes want = {0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  want.insert(want.end(), header.begin(), header.end());
  want.insert(want.end(), {0x07, 0x01, 0x00, 0xFE, 0xFF});
  EXPECT_EQ(SerializeSafetensors(f), want);
}

// A file written byte by byte: the length is a literal little-endian u64, the tensors appear
// in the buffer in an order unrelated to their names, and the header has non-canonical order.
TEST(Safetensors, ParsesAHandBuiltFile) {
  const std::string header = R"({"b":{"dtype":"I16","shape":[2],"data_offsets":[4,8]},)"
                             R"("a":{"dtype":"I32","shape":[],"data_offsets":[0,4]},)"
                             R"("c":{"dtype":"I8","shape":[3],"data_offsets":[8,11]},)"
                             R"("d":{"dtype":"U16","shape":[1,2],"data_offsets":[11,15]},)"
                             R"("e":{"dtype":"F32","shape":[],"data_offsets":[15,19]},)"
                             R"("f":{"dtype":"I64","shape":[1],"data_offsets":[19,27]},)"
                             R"("__metadata__":{"k":"v"}})";
  ASSERT_EQ(header.size(), 0x15Eu);
  Bytes file = {0x5E, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  file.insert(file.end(), header.begin(), header.end());
  file.insert(file.end(), {
                              0x78, 0x56, 0x34, 0x12,                          // a
                              0x01, 0x80, 0xFF, 0x7F,                          // b
                              0x80, 0xFF, 0x7F,                                // c
                              0xEF, 0xBE, 0x01, 0x00,                          // d
                              0x00, 0x00, 0x20, 0xC0,                          // e
                              0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // f
                          });
  const SafetensorsFile f = ParseSafetensors(file, kSource);
  ASSERT_EQ(f.tensors.size(), 6u);
  EXPECT_EQ(f.metadata, (std::map<std::string, std::string>{{"k", "v"}}));
  const auto& t = f.tensors;
  EXPECT_EQ(t.at("a").shape, std::vector<std::int64_t>{});
  EXPECT_EQ(TensorValues<std::int32_t>(t.at("a")), std::vector<std::int32_t>{0x12345678});
  EXPECT_EQ(TensorValues<std::int16_t>(t.at("b")), (std::vector<std::int16_t>{-32767, 32767}));
  EXPECT_EQ(TensorValues<std::int8_t>(t.at("c")), (std::vector<std::int8_t>{-128, -1, 127}));
  EXPECT_EQ(t.at("d").shape, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(TensorValues<std::uint16_t>(t.at("d")), (std::vector<std::uint16_t>{0xBEEF, 1}));
  EXPECT_EQ(TensorValues<float>(t.at("e")), std::vector<float>{-2.5f});
  EXPECT_EQ(TensorValues<std::int64_t>(t.at("f")), std::vector<std::int64_t>{-2});
}

TEST(Safetensors, AcceptsPaddingAndEmptyTensorsAtAnyOffset) {
  const Bytes file = FileOf(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},)"
                            R"("b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                            R"("c":{"dtype":"I32","shape":[3,0],"data_offsets":[2,2]}}   )",
                            {9, 8});
  const SafetensorsFile f = ParseSafetensors(file, kSource);
  EXPECT_EQ(f.tensors.at("a").NumElements(), 0);
  EXPECT_EQ(TensorValues<std::uint8_t>(f.tensors.at("b")), (std::vector<std::uint8_t>{9, 8}));
  EXPECT_TRUE(f.tensors.at("c").bytes.empty());
}

TEST(TensorValues, RequiresTheExactDType) {
  const RawTensor t = Make<std::int16_t>({1}, {5});
  EXPECT_THROW(TensorValues<std::uint16_t>(t), InputError);
  try {
    TensorValues<std::int32_t>(t, "blocks.0.w");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "blocks.0.w has dtype I16, expected I32");
  }
}

TEST(TensorValues, RejectsBytesThatDoNotMatchTheShape) {
  RawTensor t = Make<std::int32_t>({2}, {1, 2});
  t.bytes.pop_back();
  EXPECT_THROW(TensorValues<std::int32_t>(t), InputError);
  t.shape = {-1};
  EXPECT_EQ(t.NumElements(), -1);
  EXPECT_THROW(TensorValues<std::int32_t>(t), InputError);
}

TEST(MakeRawTensor, EncodesLittleEndian) {
  EXPECT_EQ(Make<std::int32_t>({}, {-2}).bytes, (Bytes{0xFE, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(Make<std::uint16_t>({1}, {0x1234}).bytes, (Bytes{0x34, 0x12}));
  EXPECT_EQ(Make<float>({}, {1.0f}).bytes, (Bytes{0x00, 0x00, 0x80, 0x3F}));
}

TEST(MakeRawTensor, RejectsShapeValueMismatch) {
  EXPECT_THROW(Make<std::int8_t>({2, 2}, {1, 2, 3}), InputError);
  EXPECT_THROW(Make<std::int8_t>({-1}, {}), InputError);
  EXPECT_THROW(Make<std::int8_t>({}, {}), InputError);
}

TEST(SerializeSafetensors, RejectsInconsistentTensors) {
  SafetensorsFile f;
  f.tensors["w"] = Make<std::int32_t>({2}, {1, 2});
  f.tensors["w"].bytes.push_back(0);
  EXPECT_THROW(SerializeSafetensors(f), InputError);
  f.tensors["w"].shape = {std::int64_t{1} << 62};  // numel * 4 wraps to 0 in 64 bits
  f.tensors["w"].bytes.clear();
  EXPECT_THROW(SerializeSafetensors(f), InputError);
  f.tensors.clear();
  f.tensors["__metadata__"] = Make<std::int8_t>({}, {1});
  EXPECT_THROW(SerializeSafetensors(f), InputError);
  f.tensors.clear();
  f.metadata["k"] = "\xff not UTF-8";
  EXPECT_THROW(SerializeSafetensors(f), InputError);
}

TEST(ReadSafetensors, NamesThePathWhenItCannotRead) {
  try {
    ReadSafetensors("/nonexistent/m.safetensors");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/m.safetensors: cannot open"));
  }
  EXPECT_THROW(ReadSafetensors(::testing::TempDir()), InputError);
}

TEST(ReadSafetensors, RefusesWhatIsNotARegularFile) {
  EXPECT_THAT(ErrorOfPath(::testing::TempDir()),
              HasSubstr(": is a directory; the model file must be a regular file"));
  if (std::filesystem::exists("/dev/zero")) {
    EXPECT_EQ(ErrorOfPath("/dev/zero"),
              "/dev/zero: is a character device; the model file must be a regular file");
  }
  const std::string fifo = ::testing::TempDir() + "/st_fifo.safetensors";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(ErrorOfPath(fifo), fifo + ": is a FIFO (named pipe); the model file must be a regular file");
  std::filesystem::remove(fifo);
}

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
