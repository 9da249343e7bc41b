// ivit_shiftmax against model::Shiftmax and the vector cases, bit for bit, with its documented
// row latency and period. Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES,
// IVIT_TB_SPC, IVIT_TB_MAXCOLS); the shared checks and test bodies are in shift_row_tb.h.
#include <gtest/gtest.h>

#include IVIT_TB_HEADER
#include "testbench/nonlinear/shift_row_tb.h"

namespace intvit::tb {
namespace {

constexpr int kMaxCols = IVIT_TB_MAXCOLS;
using Bench = ShiftRowBench<ShiftmaxTraits, IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, kMaxCols>;

TEST(ShiftmaxRtl, VectorCasesMatchExpectedOutputs) { Bench::VectorCases(10); }

// Every int8 value below several row maxima, for many x0 (|x0| = 1, 300, large, the largest
// legal) and both DIV constants: each row is [xm, xm-1, ..., -128].
TEST(ShiftmaxRtl, EveryInt8BelowSeveralMaxima) {
  Bench::EveryInt8BelowMaxima({-1, -13, -47, -100, -250, -300, -500, -1000, -4096, -131071},
                              {127, 64, 1, 0, -1, -100, -127, -128}, /*n=*/15, /*out_bits=*/16);
}

// Parameter corners: n from 0 to 30, out_bits from 2 to 16, x0 = -2^31, tiny DIV; rows of up to
// 40 columns, the second starting with the largest int8.
TEST(ShiftmaxRtl, ParameterCorners) {
  Bench::ParameterCorners(/*seed=*/5, {0, 1, 7, 14, 15, 20, 30}, {2, 8, 15, 16}, /*max_cols=*/40,
                          /*pinned=*/127, /*min_runs=*/100);
}

// Seeded random rows of random lengths (1..MaxCols) with random stalls on both streams; every
// third trial at out_bits 8.
TEST(ShiftmaxRtl, RandomRowsWithStalls) {
  Bench::RandomRowsWithStalls({.seed = 2024,
                               .trials = 12,
                               .rows = 4,
                               .x0_span = 600,
                               .max_cols = kMaxCols,
                               .out_bits = [](int trial) { return (trial % 3 == 0) ? 8 : 16; }});
}

TEST(ShiftmaxRtl, CyclesPerDeitTinyRow) {
  Bench::DeitRow({.x0 = -47, .n = 15, .out_bits = 16, .div = model::kDivDefault}, 197, 1);
}

}  // namespace
}  // namespace intvit::tb
