#include "model/ops/matmul.h"

#include <gtest/gtest.h>

#include <vector>

namespace intvit::model {
namespace {

TEST(MatMul, HandDerivedInt8Batch) {
  // batch 0: [[1, 2]] x [[3], [4]] = 11; batch 1: [[-1, -2]] x [[-128], [127]] = 128 - 254.
  const std::vector<std::int8_t> a = {1, 2, -1, -2};
  const std::vector<std::int8_t> b = {3, 4, -128, 127};
  std::vector<std::int32_t> y(2);
  MatMul<std::int8_t>({2, 1, 2, 1}, a, b, y);
  EXPECT_EQ(y, (std::vector<std::int32_t>{11, -126}));
}

TEST(MatMul, Uint16SoftmaxTimesInt8Values) {
  // attn [1 x 3] = [32767, 32768, 65535] (32768 appears with DIV = 2^31), v [3 x 2].
  const std::vector<std::uint16_t> a = {32767, 32768, 65535};
  const std::vector<std::int8_t> b = {1, -128, 1, -128, -1, 127};
  std::vector<std::int32_t> y(2);
  MatMul<std::uint16_t>({1, 1, 3, 2}, a, b, y);
  // col 0: 32767 + 32768 - 65535 = 0; col 1: -128*(32767+32768) + 127*65535 = -8388480 + 8322945
  EXPECT_EQ(y, (std::vector<std::int32_t>{0, -65535}));
}

TEST(MatMul, RectangularShapeMatchesLoopDefinition) {
  const std::int64_t m = 3, k = 5, n = 4;
  std::vector<std::int8_t> a(m * k), b(k * n);
  for (std::int64_t i = 0; i < m * k; ++i) a[i] = static_cast<std::int8_t>(i * 7 - 50);
  for (std::int64_t i = 0; i < k * n; ++i) b[i] = static_cast<std::int8_t>(40 - i * 3);
  std::vector<std::int32_t> y(m * n);
  MatMul<std::int8_t>({1, m, k, n}, a, b, y);
  // y[2][3] = sum_k a[2][k] * b[k][3] with a[2][k] = 7(10+k) - 50, b[k][3] = 40 - 3(4k+3).
  std::int32_t want = 0;
  for (int kk = 0; kk < 5; ++kk) want += (7 * (10 + kk) - 50) * (40 - 3 * (4 * kk + 3));
  EXPECT_EQ(y[2 * n + 3], want);
}

}  // namespace
}  // namespace intvit::model
