#include "model/ops/gemm_pack.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "model/common/error.h"

namespace intvit::model {
namespace {

TEST(GemmPack, PanelGeometryRoundsTheLastPanelToWholeVectors) {
  EXPECT_EQ(GemmPanelCount(1), 1);
  EXPECT_EQ(GemmPanelCount(64), 1);
  EXPECT_EQ(GemmPanelCount(65), 2);
  EXPECT_EQ(GemmPanelWidth(1, 0), 16);
  EXPECT_EQ(GemmPanelWidth(100, 0), 64);
  EXPECT_EQ(GemmPanelWidth(100, 1), 48);  // 36 columns left
  EXPECT_EQ(GemmPaddedCols(100), 112);
}

// w [n=70, k=6]: entry (j, kk) lands in panel j/64, group row kk/4, column j%64, byte kk%4.
TEST(GemmPack, Int8WeightsLandWhereTheLayoutSays) {
  constexpr std::int64_t kN = 70;
  constexpr std::int64_t kK = 6;
  std::vector<std::int8_t> w(kN * kK);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<std::int8_t>(i * 37 + 5);
  const PackedInt8Weights p = PackInt8Weights(w, kN, kK);
  EXPECT_EQ(p.groups(), 2);
  EXPECT_EQ(p.rows, w);
  ASSERT_EQ(p.panels.size(), static_cast<std::size_t>(80 * 2 * 4));
  for (std::int64_t j = 0; j < kN; ++j) {
    const std::int64_t panel = j / 64;
    const std::int64_t width = GemmPanelWidth(kN, panel);
    for (std::int64_t kk = 0; kk < 8; ++kk) {
      const std::size_t at =
          GemmPanelOffsetBytes(panel, 2) + (kk / 4) * width * 4 + (j % 64) * 4 + kk % 4;
      const int expect = kk < kK ? w[j * kK + kk] + 128 : 0;
      ASSERT_EQ(p.panels[at], expect) << "j=" << j << " k=" << kk;
    }
  }
  // Padding columns 70..79 are zero.
  for (std::int64_t g = 0; g < 2; ++g) {
    for (std::int64_t c = 6; c < 16; ++c) {
      for (int b = 0; b < 4; ++b) {
        EXPECT_EQ(p.panels[GemmPanelOffsetBytes(1, 2) + g * 16 * 4 + c * 4 + b], 0);
      }
    }
  }
}

TEST(GemmPack, Int8KxNHoldsInt16PairsAndColumnSums) {
  constexpr std::int64_t kK = 3;
  constexpr std::int64_t kN = 2;
  const std::vector<std::int8_t> b = {7, -10, 8, 11, -9, 12};
  const PackedInt8KxN p = PackInt8KxN(b, kK, kN);
  EXPECT_EQ(p.groups(), 2);
  ASSERT_EQ(p.col_sums.size(), 16u);
  EXPECT_EQ(p.col_sums[0], 6);
  EXPECT_EQ(p.col_sums[1], 13);
  EXPECT_EQ(p.col_sums[2], 0);
  auto at = [&](std::int64_t kk, std::int64_t j) {
    std::int16_t v;
    std::memcpy(&v, p.panels.data() + (kk / 2) * 16 * 4 + j * 4 + (kk % 2) * 2, sizeof(v));
    return v;
  };
  EXPECT_EQ(at(0, 0), 7);
  EXPECT_EQ(at(1, 0), 8);
  EXPECT_EQ(at(2, 0), -9);
  EXPECT_EQ(at(3, 0), 0);
  EXPECT_EQ(at(0, 1), -10);
  EXPECT_EQ(at(2, 1), 12);
}

TEST(GemmPack, RejectsBadShapes) {
  const std::vector<std::int8_t> six(6);
  EXPECT_THROW(PackInt8Weights(six, 2, 4), InputError);
  EXPECT_THROW(PackInt8Weights(six, 6, 0), InputError);
  EXPECT_THROW(PackInt8KxN(six, 4, 2), InputError);
  const std::vector<std::int8_t> too_long(kGemmInt8MaxK + 1);
  EXPECT_THROW(PackInt8Weights(too_long, 1, kGemmInt8MaxK + 1), InputError);
  EXPECT_NO_THROW(PackInt8KxN(too_long, kGemmInt8MaxK + 1, 1));
}

TEST(GemmPack, RepackingReusesTheObject) {
  PackedInt8Weights p;
  const std::vector<std::int8_t> a(64 * 8, 1);
  const std::vector<std::int8_t> b(3 * 5, -1);
  PackInt8WeightsInto(a, 64, 8, &p);
  PackInt8WeightsInto(b, 3, 5, &p);
  EXPECT_EQ(p.n, 3);
  EXPECT_EQ(p.k, 5);
  EXPECT_EQ(p.panels.size(), static_cast<std::size_t>(16 * 2 * 4));
  EXPECT_EQ(p.panels[0], 127);         // -1 + 128
  EXPECT_EQ(p.panels[16 * 4 + 1], 0);  // k = 5 is padding
}

}  // namespace
}  // namespace intvit::model
