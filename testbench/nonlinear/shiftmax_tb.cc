// ivit_shiftmax against model::Shiftmax and the vector cases, bit for bit, with its documented
// row latency and period. Built once per configuration (IVIT_TB_LANES, IVIT_TB_SPC,
// IVIT_TB_MAXCOLS).
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include IVIT_TB_HEADER
#include "model/ops/shiftmax.h"
#include "testbench/nonlinear/tb_stream.h"

namespace intvit::tb {
namespace {

using Model = IVIT_TB_MODEL;
constexpr int kLanes = IVIT_TB_LANES;
constexpr int kSpc = IVIT_TB_SPC;
constexpr int kMaxCols = IVIT_TB_MAXCOLS;

struct Ops {
  static constexpr bool kHasSide = false;
  static void SetIn(Model& m, bool valid, const std::int64_t* x, int count, int cols) {
    m.in_valid_i = valid;
    m.cols_i = static_cast<std::uint16_t>(cols);
    for (int j = 0; j < kLanes; ++j) {
      PutBits(m.in_data_i, 8 * j, 8, static_cast<std::uint64_t>(j < count ? x[j] : 0x5a + j));
    }
  }
  static bool InReady(Model& m) { return m.in_ready_o; }
  static void SetOutReady(Model& m, bool r) { m.out_ready_i = r; }
  static bool OutValid(Model& m) { return m.out_valid_o; }
  static bool OutLast(Model& m) { return m.out_last_o; }
  static std::int64_t OutLane(Model& m, int j) {
    return static_cast<std::int64_t>(GetBits(m.out_data_o, 16 * j, 16));
  }
};

void Configure(Model& m, const model::ShiftmaxParams& p) {
  m.cfg_x0_i = static_cast<std::uint32_t>(p.x0);
  m.cfg_n_i = static_cast<std::uint8_t>(p.n);
  m.cfg_out_bits_i = static_cast<std::uint8_t>(p.out_bits);
  m.cfg_div_i = static_cast<std::uint32_t>(p.div);
}

// The header's formulas (ivit_shiftmax.sv).
std::int64_t Beats(std::int64_t cols) { return (cols + kLanes - 1) / kLanes; }
constexpr std::int64_t kDivCycles = (32 + kSpc - 1) / kSpc;
std::int64_t Latency(std::int64_t cols) { return 3 * Beats(cols) + kDivCycles + 6; }
std::int64_t Period(std::int64_t cols) { return Latency(cols) + 1; }

std::vector<std::int64_t> Golden(const model::ShiftmaxParams& p, const Rows& rows) {
  std::vector<std::int64_t> y;
  for (const auto& row : rows) {
    std::vector<std::int8_t> x(row.begin(), row.end());
    std::vector<std::uint16_t> out(row.size());
    model::Shiftmax(p, static_cast<std::int64_t>(row.size()), x, out);
    y.insert(y.end(), out.begin(), out.end());
  }
  return y;
}

std::vector<std::int64_t> Flatten(const Rows& rows) {
  std::vector<std::int64_t> v;
  for (const auto& r : rows) v.insert(v.end(), r.begin(), r.end());
  return v;
}

// Runs rows through a fresh DUT and compares with the golden op. Returns the mismatch count.
std::size_t Check(const std::string& what, const model::ShiftmaxParams& p, const Rows& rows,
                  const Stalls& stalls = {}, bool check_timing = true) {
  Dut<Model> dut;
  Configure(dut.m(), p);
  RowTiming timing;
  const Rows got = RunRows<Ops>(dut, kLanes, rows, stalls, &timing);
  if (check_timing && stalls.in_gap_pct == 0 && stalls.out_block_pct == 0) {
    ExpectTiming(timing, rows, Latency, Period);
  }
  return ExpectSameValues(what, Flatten(got), Golden(p, rows),
                          static_cast<std::int64_t>(rows.front().size()));
}

bool Legal(const model::ShiftmaxParams& p) {
  try {
    model::CheckShiftmaxParams(p);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(ShiftmaxRtl, VectorCasesMatchExpectedOutputs) {
  const auto dirs = FindCases("shiftmax");
  ASSERT_GE(dirs.size(), 10u);
  for (const auto& dir : dirs) {
    const VectorCase c = ReadCase(dir);
    model::ShiftmaxParams p;
    p.x0 = c.params.value("x0", p.x0);
    p.n = c.params.value("n", p.n);
    p.out_bits = c.params.value("out_bits", p.out_bits);
    p.div = c.params.value("div", p.div);
    const Tensor& x = c.inputs.at("x");
    const std::int64_t cols = x.shape.back();
    ASSERT_LE(cols, kMaxCols) << c.name;
    Rows rows;
    for (std::size_t i = 0; i < x.values.size(); i += cols) {
      rows.emplace_back(x.values.begin() + i, x.values.begin() + i + cols);
    }
    Dut<Model> dut;
    Configure(dut.m(), p);
    RowTiming timing;
    const Rows got = RunRows<Ops>(dut, kLanes, rows, {}, &timing);
    ExpectTiming(timing, rows, Latency, Period);
    const std::size_t bad =
        ExpectSameValues(c.name, Flatten(got), c.outputs.at("y").values, cols);
    EXPECT_EQ(ExpectSameValues(c.name + " (golden)", Golden(p, rows), c.outputs.at("y").values,
                               cols),
              0u);
    std::printf("[ case ] %-48s rows %3zu cols %4lld  mismatches %zu  cycles/row %lld\n",
                c.name.c_str(), rows.size(), static_cast<long long>(cols), bad,
                static_cast<long long>(timing.last_out[0] - timing.first_in[0]));
  }
}

// Every int8 value below several row maxima, for many x0 (|x0| = 1, 300, large, the largest
// legal) and both DIV constants: each row is [xm, xm-1, ..., -128].
TEST(ShiftmaxRtl, EveryInt8BelowSeveralMaxima) {
  const std::int64_t x0s[] = {-1, -13, -47, -100, -250, -300, -500, -1000, -4096, -131071};
  const std::int64_t maxima[] = {127, 64, 1, 0, -1, -100, -127, -128};
  for (const std::int64_t div : {model::kDivDefault, model::kDivFloat32}) {
    for (const std::int64_t x0 : x0s) {
      model::ShiftmaxParams p{.x0 = x0, .n = 15, .out_bits = 16, .div = div};
      ASSERT_TRUE(Legal(p));
      Rows rows;
      for (const std::int64_t xm : maxima) {
        std::vector<std::int64_t> row;
        for (std::int64_t v = xm; v >= -128; --v) row.push_back(v);
        rows.push_back(row);
      }
      EXPECT_EQ(Check("x0 " + std::to_string(x0) + " div " + std::to_string(div), p, rows), 0u);
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
        for (const std::int64_t div : {std::int64_t{1}, std::int64_t{1000}, model::kDivDefault,
                                       model::kDivFloat32}) {
          model::ShiftmaxParams p{.x0 = x0, .n = n, .out_bits = b, .div = div};
          if (!Legal(p)) continue;
          Rows rows(2);
          for (auto& row : rows) {
            const int cols = 1 + static_cast<int>(rng() % 40);
            for (int c = 0; c < cols; ++c) row.push_back(static_cast<std::int8_t>(rng()));
          }
          rows[1][0] = 127;
          EXPECT_EQ(Check("corner", p, rows, {}, false), 0u)
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
    EXPECT_EQ(Check("random trial " + std::to_string(trial), p, rows, stalls), 0u);
  }
}

TEST(ShiftmaxRtl, CyclesPerDeitTinyRow) {
  model::ShiftmaxParams p{.x0 = -47, .n = 15, .out_bits = 16, .div = model::kDivDefault};
  std::mt19937_64 rng(1);
  Rows rows(3, std::vector<std::int64_t>(197));
  for (auto& row : rows) {
    for (auto& v : row) v = static_cast<std::int8_t>(rng());
  }
  Dut<Model> dut;
  Configure(dut.m(), p);
  RowTiming t;
  const Rows got = RunRows<Ops>(dut, kLanes, rows, {}, &t);
  ExpectTiming(t, rows, Latency, Period);
  EXPECT_EQ(ExpectSameValues("deit", Flatten(got), Golden(p, rows), 197), 0u);
  std::printf("[ cycles ] shiftmax lanes %d div-steps/cycle %d cols 197: latency %lld, "
              "period %lld\n", kLanes, kSpc, static_cast<long long>(t.last_out[0] - t.first_in[0]),
              static_cast<long long>(t.first_in[1] - t.first_in[0]));
}

}  // namespace
}  // namespace intvit::tb
