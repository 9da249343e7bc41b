#include "model/io/npy_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "model/common/error.h"

namespace intvit::model {
namespace {

std::string Header(const std::string& file) {
  const std::size_t len = static_cast<unsigned char>(file[8]) |
                          (static_cast<std::size_t>(static_cast<unsigned char>(file[9])) << 8);
  return file.substr(10, len);
}

TEST(EncodeNpy, Version1HeaderAlignsDataTo64Bytes) {
  const std::string f = EncodeNpy(DType::kInt64, {2, 3}, {1, -2, 3, -4, 5, -6});
  EXPECT_EQ(f.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::string h = Header(f);
  EXPECT_EQ(h.rfind("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u) << h;
  EXPECT_EQ(h.back(), '\n');
  EXPECT_EQ((10 + h.size()) % 64, 0u);
  ASSERT_EQ(f.size(), 10 + h.size() + 6 * 8);
  // -2 little-endian in 8 bytes.
  EXPECT_EQ(f.substr(10 + h.size() + 8, 8), std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8));
}

TEST(EncodeNpy, OneDimShapeHasTrailingCommaAndScalarIsEmpty) {
  EXPECT_NE(Header(EncodeNpy(DType::kInt16, {3}, {1, 2, 3})).find("'shape': (3,)"),
            std::string::npos);
  EXPECT_NE(Header(EncodeNpy(DType::kInt8, {}, {-1})).find("'descr': '|i1'"), std::string::npos);
  EXPECT_NE(Header(EncodeNpy(DType::kInt8, {}, {-1})).find("'shape': ()"), std::string::npos);
  EXPECT_NE(Header(EncodeNpy(DType::kUint16, {1}, {65535})).find("'<u2'"), std::string::npos);
}

TEST(EncodeNpy, RefusesWrongCountsAndValuesOutsideTheDtype) {
  EXPECT_THROW(EncodeNpy(DType::kInt32, {2}, {1}), InputError);
  EXPECT_THROW(EncodeNpy(DType::kInt8, {1}, {128}), InputError);
  EXPECT_THROW(EncodeNpy(DType::kFloat32, {1}, {0}), InputError);
}

TEST(WriteNpyFile, WritesTheWholeFileAndLeavesNoTemporary) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("intvit_npy_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const Tensor t = Tensor::FromVector<std::int32_t>({2, 2}, {1, 2, 3, -4});
  WriteNpyFile(dir / "t.npy", t);
  std::ifstream in(dir / "t.npy", std::ios::binary);
  const std::string got{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(got, EncodeNpy(DType::kInt32, {2, 2}, {1, 2, 3, -4}));
  EXPECT_FALSE(std::filesystem::exists(dir / "t.npy.tmp"));
  EXPECT_THROW(WriteNpyFile(dir / "missing" / "t.npy", t), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace intvit::model
