// ivit_gelu against model::ShiftGelu and the vector cases, bit for bit, with its documented row
// latency and period. Built once per configuration (IVIT_TB_LANES, IVIT_TB_SPC,
// IVIT_TB_MAXCOLS).
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include IVIT_TB_HEADER
#include "model/ops/shift_gelu.h"
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
      PutBits(m.in_data_i, 8 * j, 8, static_cast<std::uint64_t>(j < count ? x[j] : 0x77 - j));
    }
  }
  static bool InReady(Model& m) { return m.in_ready_o; }
  static void SetOutReady(Model& m, bool r) { m.out_ready_i = r; }
  static bool OutValid(Model& m) { return m.out_valid_o; }
  static bool OutLast(Model& m) { return m.out_last_o; }
  static std::int64_t OutLane(Model& m, int j) {
    return SignExtend(GetBits(m.out_data_o, 32 * j, 32), 32);
  }
};

void Configure(Model& m, const model::ShiftGeluParams& p) {
  m.cfg_x0_i = static_cast<std::uint32_t>(p.x0);
  m.cfg_n_i = static_cast<std::uint8_t>(p.n);
  m.cfg_out_bits_i = static_cast<std::uint8_t>(p.out_bits);
  m.cfg_div_i = static_cast<std::uint32_t>(p.div);
}

// The header's formulas (ivit_gelu.sv).
std::int64_t Beats(std::int64_t cols) { return (cols + kLanes - 1) / kLanes; }
constexpr std::int64_t kDivCycles = (32 + kSpc - 1) / kSpc;
std::int64_t Latency(std::int64_t cols) { return Beats(cols) * (kDivCycles + 2) + 2; }
std::int64_t Period(std::int64_t cols) { return Latency(cols) + 1; }

std::vector<std::int64_t> Golden(const model::ShiftGeluParams& p, const Rows& rows) {
  std::vector<std::int64_t> y;
  for (const auto& row : rows) {
    std::vector<std::int8_t> x(row.begin(), row.end());
    std::vector<std::int32_t> out(row.size());
    model::ShiftGelu(p, static_cast<std::int64_t>(row.size()), x, out);
    y.insert(y.end(), out.begin(), out.end());
  }
  return y;
}

std::vector<std::int64_t> Flatten(const Rows& rows) {
  std::vector<std::int64_t> v;
  for (const auto& r : rows) v.insert(v.end(), r.begin(), r.end());
  return v;
}

std::size_t Check(const std::string& what, const model::ShiftGeluParams& p, const Rows& rows,
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

bool Legal(const model::ShiftGeluParams& p) {
  try {
    model::CheckShiftGeluParams(p);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(GeluRtl, VectorCasesMatchExpectedOutputs) {
  const auto dirs = FindCases("shiftgelu");
  ASSERT_GE(dirs.size(), 6u);
  for (const auto& dir : dirs) {
    const VectorCase c = ReadCase(dir);
    model::ShiftGeluParams p;
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

// Every int8 value below several row maxima (rows [xm, xm-1, ..., -128]; the negative maxima
// are all-negative rows whose e^(-xm) saturates), for |x0| from 1 to the largest legal value
// and both DIV constants.
TEST(GeluRtl, EveryInt8BelowSeveralMaxima) {
  const std::int64_t x0s[] = {-1, -2, -12, -47, -255, -256, -294, -300, -511, -1176, -65536,
                              (1 << 25) * -1 + 1};
  const std::int64_t maxima[] = {127, 64, 1, 0, -1, -5, -100, -128};
  for (const std::int64_t div : {model::kDivDefault, model::kDivFloat32}) {
    for (const std::int64_t x0 : x0s) {
      model::ShiftGeluParams p{.x0 = x0, .n = 23, .out_bits = 8, .div = div};
      ASSERT_TRUE(Legal(p)) << x0;
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
    EXPECT_EQ(Check("all negative x0 " + std::to_string(x0), p, rows), 0u);
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
        for (const std::int64_t div : {std::int64_t{1}, std::int64_t{1000}, model::kDivDefault,
                                       model::kDivFloat32}) {
          model::ShiftGeluParams p{.x0 = x0, .n = n, .out_bits = b, .div = div};
          if (!Legal(p)) continue;
          Rows rows(2);
          for (auto& row : rows) {
            const int cols = 1 + static_cast<int>(rng() % 24);
            for (int c = 0; c < cols; ++c) row.push_back(static_cast<std::int8_t>(rng()));
          }
          rows[1][0] = -128;
          EXPECT_EQ(Check("corner", p, rows, {}, false), 0u)
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
    EXPECT_EQ(Check("random trial " + std::to_string(trial), p, rows, stalls), 0u);
  }
}

TEST(GeluRtl, CyclesPerDeitTinyRow) {
  model::ShiftGeluParams p{.x0 = -12, .n = 23, .out_bits = 8, .div = model::kDivDefault};
  std::mt19937_64 rng(3);
  Rows rows(2, std::vector<std::int64_t>(768));
  for (auto& row : rows) {
    for (auto& v : row) v = static_cast<std::int8_t>(rng());
  }
  Dut<Model> dut;
  Configure(dut.m(), p);
  RowTiming t;
  const Rows got = RunRows<Ops>(dut, kLanes, rows, {}, &t);
  ExpectTiming(t, rows, Latency, Period);
  EXPECT_EQ(ExpectSameValues("deit", Flatten(got), Golden(p, rows), 768), 0u);
  std::printf("[ cycles ] gelu lanes %d div-steps/cycle %d cols 768: latency %lld, period %lld\n",
              kLanes, kSpc, static_cast<long long>(t.last_out[0] - t.first_in[0]),
              static_cast<long long>(t.first_in[1] - t.first_in[0]));
}

}  // namespace
}  // namespace intvit::tb
