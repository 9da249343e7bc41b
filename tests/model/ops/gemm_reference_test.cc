#include "model/ops/gemm_reference.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace intvit::model {
namespace {

// x [2,3] times W^T where W [2,3] is the Linear weight (so W^T is the 3x2 right operand), plus
// bias. Worked by hand:
//   y[0,0] =  100 + 1*7    + (-2)*8  + 3*(-9)    =   64
//   y[0,1] = -200 + 1*(-10) + (-2)*11 + 3*12      = -196
//   y[1,0] =  100 + (-4)*7  + 5*8    + (-6)*(-9) =  166
//   y[1,1] = -200 + (-4)*(-10) + 5*11 + (-6)*12  = -177
TEST(GemmInt8Reference, MatchesHandWorkedTwoByThreeTimesThreeByTwo) {
  const std::vector<std::int8_t> x = {1, -2, 3, -4, 5, -6};
  const std::vector<std::int8_t> w = {7, 8, -9, -10, 11, 12};
  const std::vector<std::int32_t> bias = {100, -200};
  std::vector<std::int32_t> y(4);
  GemmInt8Reference(2, 2, 3, x.data(), w.data(), bias.data(), y.data());
  EXPECT_EQ(y, (std::vector<std::int32_t>{64, -196, 166, -177}));

  GemmInt8Reference(2, 2, 3, x.data(), w.data(), nullptr, y.data());
  EXPECT_EQ(y, (std::vector<std::int32_t>{-36, 4, 66, 23}));
}

TEST(GemmInt8Reference, BiasAddSaturatesToInt32) {
  const std::vector<std::int8_t> x = {127, -128};
  const std::vector<std::int8_t> w = {127};
  const std::vector<std::int32_t> bias = {INT32_MAX};
  std::vector<std::int32_t> y(2);
  GemmInt8Reference(2, 1, 1, x.data(), w.data(), bias.data(), y.data());
  EXPECT_EQ(y[0], INT32_MAX);              // INT32_MAX + 16129 saturates
  EXPECT_EQ(y[1], INT32_MAX - 128 * 127);  // in range: exact
  const std::vector<std::int32_t> low = {INT32_MIN};
  GemmInt8Reference(2, 1, 1, x.data(), w.data(), low.data(), y.data());
  EXPECT_EQ(y[0], INT32_MIN + 127 * 127);
  EXPECT_EQ(y[1], INT32_MIN);
}

TEST(GemmInt8Reference, LargestKSumIsExact) {
  constexpr std::int64_t kK = 65536;
  const std::vector<std::int8_t> x(kK, -128);
  const std::vector<std::int8_t> w(kK, -128);
  std::int32_t y = 0;
  GemmInt8Reference(1, 1, kK, x.data(), w.data(), nullptr, &y);
  EXPECT_EQ(y, std::int32_t{1} << 30);
}

// a [2,3] uint16 times b [3,2] int8, by hand:
//   y[0,0] = 1*7 + 2*8 + 65535*(-9)        = -589792
//   y[0,1] = 1*(-10) + 2*11 + 65535*12     =  786432
//   y[1,0] = 300*7 + 0*8 + 40000*(-9)      = -357900
//   y[1,1] = 300*(-10) + 0*11 + 40000*12   =  477000
TEST(GemmUint16Int8Reference, MatchesHandWorkedTwoByThreeTimesThreeByTwo) {
  const std::vector<std::uint16_t> a = {1, 2, 65535, 300, 0, 40000};
  const std::vector<std::int8_t> b = {7, -10, 8, 11, -9, 12};
  std::vector<std::int32_t> y(4);
  GemmUint16Int8Reference(2, 2, 3, a.data(), b.data(), y.data());
  EXPECT_EQ(y, (std::vector<std::int32_t>{-589792, 786432, -357900, 477000}));
}

TEST(GemmUint16Int8Reference, SaturatesOnlyBeyondInt32) {
  constexpr std::int64_t kK = 259;  // 65535 * 127 * 259 > 2^31 - 1; 65535 * 128 * 259 > 2^31
  const std::vector<std::uint16_t> a(kK, 65535);
  const std::vector<std::int8_t> up(kK, 127);
  const std::vector<std::int8_t> down(kK, -128);
  std::int32_t y = 0;
  GemmUint16Int8Reference(1, 1, kK, a.data(), up.data(), &y);
  EXPECT_EQ(y, INT32_MAX);
  GemmUint16Int8Reference(1, 1, kK, a.data(), down.data(), &y);
  EXPECT_EQ(y, INT32_MIN);
  GemmUint16Int8Reference(1, 1, 256, a.data(), down.data(), &y);
  EXPECT_EQ(y, -65535 * 128 * 256);
}

}  // namespace
}  // namespace intvit::model
