#include "model/arith/newton_isqrt.h"

#include <gtest/gtest.h>

#include <cmath>

namespace intvit::model {
namespace {

TEST(NewtonIsqrtFloor, ZeroVarianceGives64) {
  // var / k = 0 at every step, so k halves ten times: 2^16 / 2^10.
  EXPECT_EQ(NewtonIsqrtFloor(0), 64);
  EXPECT_EQ(NewtonIsqrtFloor(6), 64);
}

TEST(NewtonIsqrtFloor, HandIteratedConvergedCase) {
  // var = 2,000,000: 65536 -> 32783 -> 16422 -> 8271 -> 4256 -> 2362 -> 1604 -> 1425 -> 1414
  // -> 1414 -> 1414 (floor(sqrt(2e6)) = 1414).
  EXPECT_EQ(NewtonIsqrtFloor(2000000), 1414);
  EXPECT_EQ(NewtonIsqrtFloor(2000000, 8), 1414);
  EXPECT_EQ(NewtonIsqrtFloor(2000000, 7), 1425);
  EXPECT_EQ(NewtonIsqrtFloor(std::int64_t{1} << 32), 65536);  // a fixed point from the start
}

TEST(NewtonIsqrtFloor, NotConvergedOutsideItsRange) {
  // Below 2^16 the ten halvings cannot reach sqrt: 2^16 - 1 gives 256, not 255.
  EXPECT_EQ(NewtonIsqrtFloor(65535), 256);
  // At 2^46 one step is missing: 8388609 = sqrt + 1.
  EXPECT_EQ(NewtonIsqrtFloor(std::int64_t{1} << 46), 8388609);
  // At 2^50 it is far off: 34806499 against 33554432.
  EXPECT_EQ(NewtonIsqrtFloor(std::int64_t{1} << 50), 34806499);
}

TEST(NewtonIsqrtFloor, IsFloorSqrtOrOneAboveInTheConvergedRange) {
  for (std::int64_t var = std::int64_t{1} << 18; var <= (std::int64_t{1} << 44);
       var = var * 3 / 2 + 7) {
    const std::int64_t k = NewtonIsqrtFloor(var);
    const auto r = static_cast<std::int64_t>(std::sqrt(static_cast<long double>(var)));
    ASSERT_TRUE(k == r || k == r + 1) << "var=" << var << " k=" << k << " sqrt=" << r;
  }
}

TEST(IsValidNewtonParams, InitMustCoverTheHalvings) {
  EXPECT_TRUE(IsValidNewtonParams(10, 65536));
  EXPECT_TRUE(IsValidNewtonParams(10, 1024));
  EXPECT_FALSE(IsValidNewtonParams(10, 1023));
  EXPECT_FALSE(IsValidNewtonParams(-1, 65536));
  EXPECT_FALSE(IsValidNewtonParams(63, std::int64_t{1} << 62));
}

}  // namespace
}  // namespace intvit::model
