// ivit_gelu against model::ShiftGelu and the vector cases, bit for bit, with its documented row
// latency and period. Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC,
// IVIT_TB_MAXCOLS); the shared checks and test bodies are in shift_row_tb.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include IVIT_TB_HEADER
#include "testbench/nonlinear/shift_row_tb.h"

namespace intvit::tb {
namespace {

constexpr int kMaxCols = IVIT_TB_MAXCOLS;
using Bench = ShiftRowBench<GeluTraits, IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, kMaxCols>;

TEST(GeluRtl, VectorCasesMatchExpectedOutputs) { Bench::VectorCases(6); }

// Every int8 value below several row maxima (rows [xm, xm-1, ..., -128]; the negative maxima
// are all-negative rows whose e^(-xm) saturates), for |x0| from 1 to the largest legal value
// and both DIV constants.
TEST(GeluRtl, EveryInt8BelowSeveralMaxima) {
  Bench::EveryInt8BelowMaxima(
      {-1, -2, -12, -47, -255, -256, -294, -300, -511, -1176, -65536, (1 << 25) * -1 + 1},
      {127, 64, 1, 0, -1, -5, -100, -128}, /*n=*/23, /*out_bits=*/8);
}

// All-negative rows: constant -128, constant -1, random negatives; x0 = -1 saturates e^(-xm)
// at 2^61 (a shift of over 200 bits in exact arithmetic).
TEST(GeluRtl, AllNegativeRows) {
  std::mt19937_64 rng(11);
  for (const std::int64_t x0 : {-1, -3, -12, -100, -1176}) {
    model::ShiftGeluParams p{.x0 = x0, .n = 23, .out_bits = 8, .div = model::kDivDefault};
    Rows rows = {std::vector<std::int64_t>(37, -128), std::vector<std::int64_t>(5, -1)};
    for (int r = 0; r < 3; ++r) {
      std::vector<std::int64_t> row(1 + rng() % 100);
      for (auto& v : row) v = -1 - static_cast<std::int64_t>(rng() % 128);
      rows.push_back(row);
    }
    EXPECT_EQ(Bench::Check("all negative x0 " + std::to_string(x0), p, rows), 0u);
  }
}

// Parameter corners: n from 0 to 30, out_bits from 2 to 16, x0 = -2^31, tiny DIV; rows of up to
// 24 columns, the second starting with the smallest int8.
TEST(GeluRtl, ParameterCorners) {
  Bench::ParameterCorners(/*seed=*/6, {0, 1, 7, 15, 23, 30}, {2, 8, 12, 16}, /*max_cols=*/24,
                          /*pinned=*/-128, /*min_runs=*/60);
}

// Seeded random rows of up to 300 columns with random stalls on both streams.
TEST(GeluRtl, RandomRowsWithStalls) {
  Bench::RandomRowsWithStalls({.seed = 77,
                               .trials = 8,
                               .rows = 3,
                               .x0_span = 1200,
                               .max_cols = std::min(kMaxCols, 300)});
}

TEST(GeluRtl, CyclesPerDeitTinyRow) {
  Bench::DeitRow({.x0 = -12, .n = 23, .out_bits = 8, .div = model::kDivDefault}, 768, 3);
}

}  // namespace
}  // namespace intvit::tb
