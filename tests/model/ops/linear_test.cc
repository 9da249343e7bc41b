#include "model/ops/linear.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

TEST(Linear, HandDerivedTwoByThreeTimesThreeByTwo) {
  // x = [[1, 2, 3], [-4, 5, -6]], w = [[1, 0, -1], [2, 2, 2]], b = [10, -10]
  // y[0] = [1 - 3 + 10, 2 + 4 + 6 - 10] = [8, 2]; y[1] = [-4 + 6 + 10, 2*(-5) - 10] = [12, -20]
  const std::vector<std::int8_t> x = {1, 2, 3, -4, 5, -6};
  const std::vector<std::int8_t> w = {1, 0, -1, 2, 2, 2};
  const std::vector<std::int32_t> b = {10, -10};
  std::vector<std::int32_t> y(4);
  Linear({2, 3, 2}, x, w, b, y);
  EXPECT_EQ(y, (std::vector<std::int32_t>{8, 2, 12, -20}));
}

TEST(Linear, NoBiasAndExtremeOperands) {
  // K = 3072 (fc2 of DeiT-Base): all -128 * -128 gives 3072 * 16384 = 50331648.
  const std::int64_t k = 3072;
  const std::vector<std::int8_t> x(k, -128), w(2 * k, -128);
  std::vector<std::int32_t> y(2);
  Linear({1, k, 2}, x, w, {}, y);
  EXPECT_EQ(y[0], 50331648);
  EXPECT_EQ(y[1], 50331648);
}

TEST(Linear, SaturatesToInt32InsteadOfWrapping) {
  const std::vector<std::int8_t> x = {127}, w = {127};
  const std::vector<std::int32_t> b = {INT32_MAX};
  std::vector<std::int32_t> y(1);
  Linear({1, 1, 1}, x, w, b, y);
  EXPECT_EQ(y[0], INT32_MAX);
}

}  // namespace
}  // namespace intvit::model
