#include "model/io/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "tests/model/io/safetensors_test_util.h"

namespace intvit::model {
namespace {

using namespace safetensors_test;  // NOLINT(google-build-using-namespace): the shared helpers

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

}  // namespace
}  // namespace intvit::model
