#include "model/ops/conv_patch.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/ops/linear.h"

namespace intvit::model {
namespace {

TEST(ConvPatch, HandDerivedOneChannelFourByFourPatchTwo) {
  // x (1x4x4) = 0..15 row-major; one filter of ones and one picking the top-left pixel.
  std::vector<std::int8_t> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<std::int8_t>(i);
  const std::vector<std::int8_t> w = {1, 1, 1, 1, 1, 0, 0, 0};
  const std::vector<std::int32_t> b = {0, 100};
  std::vector<std::int32_t> y(4 * 2);
  ConvPatch({1, 4, 4, 2, 2}, x, w, b, y);
  // patches (token-major): p0 = {0,1,4,5}, p1 = {2,3,6,7}, p2 = {8,9,12,13}, p3 = {10,11,14,15}
  EXPECT_EQ(y, (std::vector<std::int32_t>{10, 100, 18, 102, 42, 108, 50, 110}));
}

TEST(ConvPatch, EqualsLinearOnIm2colPatches) {
  const ConvPatchShape s{3, 32, 48, 16, 5};
  std::vector<std::int8_t> x(3 * 32 * 48), w(5 * s.PatchSize());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<std::int8_t>((i * 37) % 256 - 128);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<std::int8_t>((i * 11) % 255 - 127);
  std::vector<std::int32_t> b = {1, -2, 3, -4, 5};
  std::vector<std::int32_t> y(s.NumPatches() * 5);
  ConvPatch(s, x, w, b, y);
  // im2col in (c, i, j) order, then a Linear.
  std::vector<std::int8_t> cols;
  for (std::int64_t p = 0; p < s.NumPatches(); ++p) {
    const std::int64_t py = p / s.GridW(), px = p % s.GridW();
    for (std::int64_t c = 0; c < 3; ++c)
      for (std::int64_t i = 0; i < 16; ++i)
        for (std::int64_t j = 0; j < 16; ++j)
          cols.push_back(x[(c * 32 + py * 16 + i) * 48 + px * 16 + j]);
  }
  EXPECT_EQ(Im2colPatches(s, x), cols);
  std::vector<std::int32_t> want(y.size());
  Linear({s.NumPatches(), s.PatchSize(), 5}, cols, w, b, want);
  EXPECT_EQ(y, want);
}

}  // namespace
}  // namespace intvit::model
