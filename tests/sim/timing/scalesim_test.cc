// SCALE-Sim v2's compute cycles, worked out by hand from its sources (docs/timing.md cites
// them). For each dataflow the operand shapes are ifmap [M, K], filter [K, N], ofmap [M, N];
// a fold's demand matrices have the same number of rows (one per cycle); SCALE-Sim's reported
// "Total Cycles" is the 0-based index of the last row.
#include "sim/timing/scalesim.h"

#include <gtest/gtest.h>

#include "model/common/error.h"

namespace intvit::sim {
namespace {

TEST(ScalesimCompute, WeightStationarySmall) {
  // ws: Sr = K = 5, Sc = N = 6, T = M = 10 on 4 x 4: 2 x 2 folds.
  // ifmap demand per fold: R null rows (weight load) + T rows + C - 1 null rows, skewed over
  // its R columns (+R - 1) = 4 + 10 + 3 + 3 = 20 = 2R + C + T - 2.
  const ScalesimGemm g = ScalesimCompute("ws", 4, 4, 10, 6, 5);
  EXPECT_EQ(g.sr, 5);
  EXPECT_EQ(g.sc, 6);
  EXPECT_EQ(g.t, 10);
  EXPECT_EQ(g.row_folds, 2);
  EXPECT_EQ(g.col_folds, 2);
  EXPECT_EQ(g.fold_rows, 20);
  EXPECT_EQ(g.demand_rows, 80);
  EXPECT_EQ(g.total_cycles, 79);
}

TEST(ScalesimCompute, OutputStationarySmall) {
  // os: Sr = M = 10, Sc = N = 6, T = K = 5: 3 x 2 folds. ofmap demand per fold: T - 1 null
  // rows + R output rows, skewed over C columns (+C - 1) = 4 + 4 + 3 = 11 = R + C + T - 2.
  const ScalesimGemm g = ScalesimCompute("os", 4, 4, 10, 6, 5);
  EXPECT_EQ(g.row_folds, 3);
  EXPECT_EQ(g.col_folds, 2);
  EXPECT_EQ(g.fold_rows, 11);
  EXPECT_EQ(g.total_cycles, 6 * 11 - 1);
}

TEST(ScalesimCompute, InputStationarySmall) {
  // is: Sr = K = 5, Sc = M = 10, T = N = 6: 2 x 3 folds of 2R + C + T - 2 = 16.
  const ScalesimGemm g = ScalesimCompute("is", 4, 4, 10, 6, 5);
  EXPECT_EQ(g.sr, 5);
  EXPECT_EQ(g.sc, 10);
  EXPECT_EQ(g.t, 6);
  EXPECT_EQ(g.row_folds * g.col_folds, 6);
  EXPECT_EQ(g.fold_rows, 16);
  EXPECT_EQ(g.total_cycles, 95);
}

TEST(ScalesimCompute, DeitQkvOnBase16Ws) {
  // M = 197 tokens, N = 3 * 192, K = 192 on 16 x 16: 12 x 36 folds of 32 + 16 + 197 - 2.
  const ScalesimGemm g = ScalesimCompute("ws", 16, 16, 197, 576, 192);
  EXPECT_EQ(g.row_folds, 12);
  EXPECT_EQ(g.col_folds, 36);
  EXPECT_EQ(g.fold_rows, 243);
  EXPECT_EQ(g.total_cycles, 432 * 243 - 1);
}

TEST(ScalesimCompute, OutputStationaryNonSquare) {
  // Attention context of one head on 32 x 8: M = 197, N = 64, K = 197 -> 7 x 8 folds of
  // 32 + 8 + 197 - 2 = 235.
  const ScalesimGemm g = ScalesimCompute("os", 32, 8, 197, 64, 197);
  EXPECT_EQ(g.row_folds, 7);
  EXPECT_EQ(g.col_folds, 8);
  EXPECT_EQ(g.total_cycles, 56 * 235 - 1);
}

TEST(ScalesimCompute, InputStationaryNonSquare) {
  // Attention scores on 8 x 32: M = N = 197, K = 64 -> Sr = 64 (8 folds), Sc = 197 (7 folds);
  // fold = 16 + 32 + 197 - 2 = 243.
  const ScalesimGemm g = ScalesimCompute("is", 8, 32, 197, 197, 64);
  EXPECT_EQ(g.row_folds, 8);
  EXPECT_EQ(g.col_folds, 7);
  EXPECT_EQ(g.total_cycles, 56 * 243 - 1);
}

TEST(ScalesimCompute, SinglePe) {
  // 1 x 1 array, one MAC: ws fold = 2 + 1 + 1 - 2 = 2 rows, reported as cycle 1.
  EXPECT_EQ(ScalesimCompute("ws", 1, 1, 1, 1, 1).total_cycles, 1);
  EXPECT_EQ(ScalesimCompute("os", 1, 1, 1, 1, 1).total_cycles, 0);
  EXPECT_EQ(ScalesimCompute("is", 1, 1, 1, 1, 1).total_cycles, 1);
}

TEST(ScalesimCompute, UtilizationAndMappingEfficiency) {
  // ws 4 x 4, M=10 N=6 K=5: folds use 4x4, 4x2, 1x4, 1x2 PEs -> (16+8+4+2)/64 = 46.875 %.
  const ScalesimGemm g = ScalesimCompute("ws", 4, 4, 10, 6, 5);
  EXPECT_DOUBLE_EQ(g.mapping_efficiency_pct, 46.875);
  EXPECT_DOUBLE_EQ(g.overall_util_pct, 300.0 * 100.0 / (79.0 * 16.0));
}

TEST(ScalesimCompute, RejectsUnknownDataflowAndEmptyShapes) {
  EXPECT_THROW(ScalesimCompute("rs", 4, 4, 1, 1, 1), InputError);
  EXPECT_THROW(ScalesimCompute("ws", 4, 4, 0, 1, 1), InputError);
}

}  // namespace
}  // namespace intvit::sim
