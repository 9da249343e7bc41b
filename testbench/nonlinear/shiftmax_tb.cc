// ivit_shiftmax against model::Shiftmax and the vector cases, bit for bit, with its documented
// row latency and period. Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES,
// IVIT_TB_SPC, IVIT_TB_MAXCOLS); the shared checks are in shift_row_tb.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include IVIT_TB_HEADER
#include "model/ops/shiftmax.h"
#include "testbench/nonlinear/shift_row_tb.h"

namespace intvit::tb {
namespace {

struct ShiftmaxTraits {
  using Params = model::ShiftmaxParams;
  using Plan = model::ShiftmaxPlan;
  using Out = std::uint16_t;
  static constexpr const char* kOp = "shiftmax";
  template <class M, int L>
  using Ports = ShiftmaxPorts<M, L>;
  static void CheckParams(const Params& p) { model::CheckShiftmaxParams(p); }
  static void Golden(const Params& p, std::int64_t cols, std::span<const std::int8_t> x,
                     std::span<Out> y) {
    model::Shiftmax(p, cols, x, y);
  }
  static std::int64_t Latency(const RowUnitShape& u, std::int64_t cols) {
    return ShiftmaxLatency(u, cols);
  }
};

constexpr int kMaxCols = IVIT_TB_MAXCOLS;
using Bench = ShiftRowBench<ShiftmaxTraits, IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, kMaxCols>;

TEST(ShiftmaxRtl, VectorCasesMatchExpectedOutputs) { Bench::VectorCases(10); }

// Every int8 value below several row maxima, for many x0 (|x0| = 1, 300, large, the largest
// legal) and both DIV constants: each row is [xm, xm-1, ..., -128].
TEST(ShiftmaxRtl, EveryInt8BelowSeveralMaxima) {
  const std::int64_t x0s[] = {-1, -13, -47, -100, -250, -300, -500, -1000, -4096, -131071};
  const std::int64_t maxima[] = {127, 64, 1, 0, -1, -100, -127, -128};
  for (const std::int64_t div : {model::kDivDefault, model::kDivFloat32}) {
    for (const std::int64_t x0 : x0s) {
      model::ShiftmaxParams p{.x0 = x0, .n = 15, .out_bits = 16, .div = div};
      ASSERT_TRUE(Bench::IsLegal(p));
      Rows rows;
      for (const std::int64_t xm : maxima) {
        std::vector<std::int64_t> row;
        for (std::int64_t v = xm; v >= -128; --v) row.push_back(v);
        rows.push_back(row);
      }
      EXPECT_EQ(Bench::Check("x0 " + std::to_string(x0) + " div " + std::to_string(div), p, rows),
                0u);
    }
  }
}

// Parameter corners: n from 0 to 30, out_bits from 2 to 16, x0 = -2^31, tiny DIV.
TEST(ShiftmaxRtl, ParameterCorners) {
  std::mt19937_64 rng(5);
  int runs = 0;
  const std::int64_t x0s[] = {-1, -2, -7, -300, -65535, -2147483648LL};
  for (const std::int64_t x0 : x0s) {
    for (int n : {0, 1, 7, 14, 15, 20, 30}) {
      for (int b : {2, 8, 15, 16}) {
        for (const std::int64_t div :
             {std::int64_t{1}, std::int64_t{1000}, model::kDivDefault, model::kDivFloat32}) {
          model::ShiftmaxParams p{.x0 = x0, .n = n, .out_bits = b, .div = div};
          if (!Bench::IsLegal(p)) continue;
          Rows rows(2);
          for (auto& row : rows) {
            const int cols = 1 + static_cast<int>(rng() % 40);
            for (int c = 0; c < cols; ++c) row.push_back(static_cast<std::int8_t>(rng()));
          }
          rows[1][0] = 127;
          EXPECT_EQ(Bench::Check("corner", p, rows, {}, false), 0u)
              << "x0 " << x0 << " n " << n << " B " << b << " div " << div;
          ++runs;
        }
      }
    }
  }
  EXPECT_GT(runs, 100);
}

// Seeded random rows of random lengths (1..MaxCols) with random stalls on both streams.
TEST(ShiftmaxRtl, RandomRowsWithStalls) {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 12; ++trial) {
    model::ShiftmaxParams p;
    p.x0 = -1 - static_cast<std::int64_t>(rng() % 600);
    p.out_bits = (trial % 3 == 0) ? 8 : 16;
    p.div = (trial % 2) ? model::kDivFloat32 : model::kDivDefault;
    Rows rows(4);
    for (auto& row : rows) {
      const int cols = 1 + static_cast<int>(rng() % kMaxCols);
      const int spread = 1 + static_cast<int>(rng() % 256);
      const int base = static_cast<int>(rng() % 256) - 128;
      for (int c = 0; c < cols; ++c) {
        row.push_back(std::clamp(base + static_cast<int>(rng() % spread) - spread / 2, -128, 127));
      }
    }
    const Stalls stalls{.in_gap_pct = 30, .out_block_pct = 40, .seed = rng()};
    EXPECT_EQ(Bench::Check("random trial " + std::to_string(trial), p, rows, stalls), 0u);
  }
}

TEST(ShiftmaxRtl, CyclesPerDeitTinyRow) {
  Bench::DeitRow({.x0 = -47, .n = 15, .out_bits = 16, .div = model::kDivDefault}, 197, 1);
}

}  // namespace
}  // namespace intvit::tb
