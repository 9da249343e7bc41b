#include "model/arith/saturate.h"

#include <gtest/gtest.h>

#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

TEST(SaturateToBits, ClampsAtBothEnds) {
  EXPECT_EQ(SaturateToInt8(127), 127);
  EXPECT_EQ(SaturateToInt8(128), 127);
  EXPECT_EQ(SaturateToInt8(-128), -128);
  EXPECT_EQ(SaturateToInt8(-129), -128);
  EXPECT_EQ(SaturateToInt8(INT64_MIN), -128);
  EXPECT_EQ(SaturateToInt16(32768), 32767);
  EXPECT_EQ(SaturateToInt16(-32769), -32768);
  EXPECT_EQ(SaturateToInt32(std::int64_t{1} << 31), INT32_MAX);
  EXPECT_EQ(SaturateToInt32(-(std::int64_t{1} << 31) - 1), INT32_MIN);
  EXPECT_EQ(SaturateToBits(INT64_MAX, 64), INT64_MAX);
  EXPECT_EQ(SaturateToBits(5, 2), 1);
  EXPECT_EQ(SaturateToBits(-5, 2), -2);
}

TEST(SaturateToBits, EdgeSetIsIdentityInsideAndBoundOutside) {
  for (int bits : {8, 16, 32}) {
    const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1, lo = -hi - 1;
    for (std::int64_t v : testing::SignedEdgeValues(64)) {
      const std::int64_t want = v > hi ? hi : (v < lo ? lo : v);
      ASSERT_EQ(SaturateToBits(v, bits), want) << v << " bits " << bits;
    }
  }
}

TEST(SaturatingAdd, SaturatesOnlyOnOverflow) {
  EXPECT_EQ(SaturatingAdd(2, 3), 5);
  EXPECT_EQ(SaturatingAdd(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(SaturatingAdd(INT64_MIN, -1), INT64_MIN);
  EXPECT_EQ(SaturatingAdd(INT64_MAX, INT64_MIN), -1);
}

}  // namespace
}  // namespace intvit::model
