// ivit_gelu against model::ShiftGelu and the vector cases, bit for bit, with its documented row
// latency and period. Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC,
// IVIT_TB_MAXCOLS); the shared checks are in shift_row_tb.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include IVIT_TB_HEADER
#include "model/ops/shift_gelu.h"
#include "testbench/nonlinear/shift_row_tb.h"

namespace intvit::tb {
namespace {

struct GeluTraits {
  using Params = model::ShiftGeluParams;
  using Plan = model::ShiftGeluPlan;
  using Out = std::int32_t;
  static constexpr const char* kOp = "shiftgelu";
  template <class M, int L>
  using Ports = GeluPorts<M, L>;
  static void CheckParams(const Params& p) { model::CheckShiftGeluParams(p); }
  static void Golden(const Params& p, std::int64_t cols, std::span<const std::int8_t> x,
                     std::span<Out> y) {
    model::ShiftGelu(p, cols, x, y);
  }
  static std::int64_t Latency(const RowUnitShape& u, std::int64_t cols) {
    return GeluLatency(u, cols);
  }
};

constexpr int kMaxCols = IVIT_TB_MAXCOLS;
using Bench = ShiftRowBench<GeluTraits, IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, kMaxCols>;

TEST(GeluRtl, VectorCasesMatchExpectedOutputs) { Bench::VectorCases(6); }

// Every int8 value below several row maxima (rows [xm, xm-1, ..., -128]; the negative maxima
// are all-negative rows whose e^(-xm) saturates), for |x0| from 1 to the largest legal value
// and both DIV constants.
TEST(GeluRtl, EveryInt8BelowSeveralMaxima) {
  const std::int64_t x0s[] = {-1,   -2,   -12,  -47,   -255,   -256,
                              -294, -300, -511, -1176, -65536, (1 << 25) * -1 + 1};
  const std::int64_t maxima[] = {127, 64, 1, 0, -1, -5, -100, -128};
  for (const std::int64_t div : {model::kDivDefault, model::kDivFloat32}) {
    for (const std::int64_t x0 : x0s) {
      model::ShiftGeluParams p{.x0 = x0, .n = 23, .out_bits = 8, .div = div};
      ASSERT_TRUE(Bench::IsLegal(p)) << x0;
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

// Parameter corners: n from 0 to 30, out_bits from 2 to 16, x0 = -2^31, tiny DIV.
TEST(GeluRtl, ParameterCorners) {
  std::mt19937_64 rng(6);
  int runs = 0;
  const std::int64_t x0s[] = {-1, -2, -7, -300, -65535, -2147483648LL};
  for (const std::int64_t x0 : x0s) {
    for (int n : {0, 1, 7, 15, 23, 30}) {
      for (int b : {2, 8, 12, 16}) {
        for (const std::int64_t div :
             {std::int64_t{1}, std::int64_t{1000}, model::kDivDefault, model::kDivFloat32}) {
          model::ShiftGeluParams p{.x0 = x0, .n = n, .out_bits = b, .div = div};
          if (!Bench::IsLegal(p)) continue;
          Rows rows(2);
          for (auto& row : rows) {
            const int cols = 1 + static_cast<int>(rng() % 24);
            for (int c = 0; c < cols; ++c) row.push_back(static_cast<std::int8_t>(rng()));
          }
          rows[1][0] = -128;
          EXPECT_EQ(Bench::Check("corner", p, rows, {}, false), 0u)
              << "x0 " << x0 << " n " << n << " B " << b << " div " << div;
          ++runs;
        }
      }
    }
  }
  EXPECT_GT(runs, 60);
}

TEST(GeluRtl, RandomRowsWithStalls) {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 8; ++trial) {
    model::ShiftGeluParams p;
    p.x0 = -1 - static_cast<std::int64_t>(rng() % 1200);
    p.div = (trial % 2) ? model::kDivFloat32 : model::kDivDefault;
    Rows rows(3);
    for (auto& row : rows) {
      const int cols = 1 + static_cast<int>(rng() % std::min(kMaxCols, 300));
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

TEST(GeluRtl, CyclesPerDeitTinyRow) {
  Bench::DeitRow({.x0 = -12, .n = 23, .out_bits = 8, .div = model::kDivDefault}, 768, 3);
}

}  // namespace
}  // namespace intvit::tb
