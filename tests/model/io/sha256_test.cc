// SHA-256 against the FIPS 180-4 example vectors, across block boundaries.
#include "model/io/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

#include "model/common/error.h"

namespace intvit::model {
namespace {

TEST(Sha256Hex, MatchesTheFipsExamples) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits the first block.
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256FileHex, HashesTheFileAndRejectsAMissingOne) {
  const std::string path = ::testing::TempDir() + "/sha256_test_abc.bin";
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(Sha256FileHex(path), Sha256Hex("abc"));
  EXPECT_THROW(Sha256FileHex(path + ".missing"), InputError);
}

}  // namespace
}  // namespace intvit::model
