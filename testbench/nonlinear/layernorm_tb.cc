// ivit_layernorm against model::IntLayerNorm and the vector cases, bit for bit, with its
// documented row latency and period. Built once per configuration (IVIT_TB_LANES,
// IVIT_TB_SPC, IVIT_TB_MAXCOLS, IVIT_TB_MODEL).
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <span>
#include <variant>
#include <vector>

#include IVIT_TB_HEADER
#include "model/ops/layer_norm.h"
#include "testbench/nonlinear/tb_common.h"
#include "testbench/nonlinear/unit_ports.h"

namespace intvit::tb {
namespace {

using Model = IVIT_TB_MODEL;
constexpr int kLanes = IVIT_TB_LANES;
constexpr int kMaxCols = IVIT_TB_MAXCOLS;
constexpr RowUnitShape kShape{.lanes = kLanes, .spc = IVIT_TB_SPC, .max_cols = kMaxCols};
using Ports = LayerNormPorts<Model, kLanes>;
// The header's variance width: 32 + Lg, Lg = $clog2(MaxCols).
const int kVarW = 32 + kShape.Lg();

struct LnConfig {
  int iters = model::kLayerNormSqrtIters;
  std::int64_t init = model::kLayerNormSqrtInit;
  std::int64_t div = model::kDivDefault;
};

std::vector<std::int64_t> Golden(const LnConfig& c, const Rows& rows, const Rows& bias) {
  std::vector<std::int64_t> y;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    model::LayerNormParams p;
    p.bias_int = bias[r];
    p.sqrt_iters = c.iters;
    p.sqrt_init = c.init;
    p.div = c.div;
    const auto cols = static_cast<std::int64_t>(rows[r].size());
    model::CheckLayerNormParams(p, cols);
    std::vector<std::int16_t> x(rows[r].begin(), rows[r].end());
    std::vector<std::int64_t> out(rows[r].size());
    model::IntLayerNorm(p, cols, x, out);
    y.insert(y.end(), out.begin(), out.end());
  }
  return y;
}

Rows RunLn(const LnConfig& c, const Rows& rows, const Rows& bias, const Stalls& stalls,
           RowTiming* timing) {
  Dut<Model> dut;
  ConfigureLayerNorm(dut.m(), c.iters, c.init, c.div);
  return RunRows<Ports>(dut, kLanes, rows, stalls, timing, &bias);
}

std::size_t Check(const std::string& what, const LnConfig& c, const Rows& rows, const Rows& bias,
                  const Stalls& stalls = {}) {
  RowTiming t;
  const Rows got = RunLn(c, rows, bias, stalls, &t);
  if (stalls.in_gap_pct == 0 && stalls.out_block_pct == 0) {
    ExpectTiming(t, rows,
                 [&](std::int64_t cols) { return LayerNormLatency(kShape, cols, c.iters); });
  }
  return ExpectSameValues(what, Flatten(got), Golden(c, rows, bias),
                          static_cast<std::int64_t>(rows.front().size()));
}

Rows ZeroBias(const Rows& rows) {
  Rows b;
  for (const auto& r : rows) b.emplace_back(r.size(), 0);
  return b;
}

Rows RandomBias(const Rows& rows, std::mt19937_64& rng, std::int64_t limit) {
  Rows b;
  for (const auto& r : rows) {
    std::vector<std::int64_t> v(r.size());
    for (auto& e : v) {
      e = static_cast<std::int64_t>(rng() % (2 * static_cast<std::uint64_t>(limit) - 1)) -
          (limit - 1);
    }
    b.push_back(v);
  }
  return b;
}

TEST(LayerNormRtl, VectorCasesMatchExpectedOutputs) {
  const auto dirs = FindCases("layernorm");
  ASSERT_GE(dirs.size(), 5u);
  for (const auto& dir : dirs) {
    const PlannedCase pc = ReadPlannedCase(dir);
    const auto& plan = std::get<model::LayerNormPlan>(pc.plan.op);
    const LnConfig c{
        .iters = plan.params.sqrt_iters, .init = plan.params.sqrt_init, .div = plan.params.div};
    const std::int64_t cols = plan.cols;
    ASSERT_LE(cols, kMaxCols) << pc.name;
    const Rows rows = SplitRows(pc.c.inputs.at("x").values, cols);
    const Rows bias(rows.size(), plan.params.bias_int);
    RowTiming t;
    const Rows got = RunLn(c, rows, bias, {}, &t);
    ExpectTiming(t, rows, [&](std::int64_t n) { return LayerNormLatency(kShape, n, c.iters); });
    const std::vector<std::int64_t>& want = pc.c.outputs.at("y").values;
    const std::size_t bad = ExpectSameValues(pc.name, Flatten(got), want, cols);
    EXPECT_EQ(ExpectSameValues(pc.name + " (golden)", Golden(c, rows, bias), want, cols), 0u);
    std::printf("[ case ] %-48s rows %3zu cols %4lld  mismatches %zu  cycles/row %lld\n",
                pc.name.c_str(), rows.size(), static_cast<long long>(cols), bad,
                static_cast<long long>(t.last_out[0] - t.first_in[0]));
  }
}

// var = 0 (constant rows, k = 64), var < 2^16 (k far from sqrt), var < 2^18 (Newton not
// converged), and the extreme int16 rows for C = 192 and 768.
TEST(LayerNormRtl, VarianceEdgesAndExtremeRows) {
  std::mt19937_64 rng(8);
  for (const std::int64_t cols : {std::int64_t{192}, std::int64_t{768}}) {
    if (cols > kMaxCols) continue;
    Rows rows;
    rows.emplace_back(cols, 0);
    rows.emplace_back(cols, -32768);
    rows.emplace_back(cols, 32767);
    std::vector<std::int64_t> r(cols);
    for (std::int64_t c = 0; c < cols; ++c) r[c] = (c % 2) ? 32767 : -32768;  // max variance
    rows.push_back(r);
    for (std::int64_t c = 0; c < cols; ++c) r[c] = (c < cols / 2) ? 32767 : -32768;
    rows.push_back(r);
    std::fill(r.begin(), r.end(), -32768);
    r[cols / 3] = 32767;  // one outlier
    rows.push_back(r);
    for (std::int64_t c = 0; c < cols; ++c) r[c] = 1000 + (c % 3 == 0);  // var < 2^16
    rows.push_back(r);
    for (std::int64_t c = 0; c < cols; ++c) r[c] = -5 + static_cast<std::int64_t>(rng() % 11);
    rows.push_back(r);  // var around 2^12 .. 2^15
    for (std::int64_t c = 0; c < cols; ++c) r[c] = static_cast<std::int64_t>(rng() % 61) - 30;
    rows.push_back(r);  // var < 2^18: unconverged Newton
    for (std::int64_t c = 0; c < cols; ++c) {
      r[c] = static_cast<std::int16_t>(static_cast<std::uint16_t>(rng()));
    }
    rows.push_back(r);
    EXPECT_EQ(Check("edges C " + std::to_string(cols), {}, rows, ZeroBias(rows)), 0u);
    std::mt19937_64 brng(cols);
    EXPECT_EQ(Check("edges C " + std::to_string(cols) + " big bias", {}, rows,
                    RandomBias(rows, brng, std::int64_t{1} << 62)),
              0u);
    EXPECT_EQ(Check("edges C " + std::to_string(cols) + " div 2^31", {.div = model::kDivFloat32},
                    rows, RandomBias(rows, brng, 1LL << 40)),
              0u);
  }
}

// The mean's round-half-even: sums exactly halfway between multiples of C, both signs, and
// negative sums with every remainder.
TEST(LayerNormRtl, MeanTiesAndNegativeRemainders) {
  Rows rows;
  for (const std::int64_t cols : {2, 4, 6, 10}) {
    for (std::int64_t target = -7; target <= 7; ++target) {
      // sum = target * cols / 2 gives mean ties whenever target is odd.
      std::vector<std::int64_t> r(cols, 0);
      std::int64_t sum = target * cols / 2;
      r[0] = sum;
      rows.push_back(r);
    }
  }
  for (std::int64_t rem = 0; rem < 7; ++rem) {
    std::vector<std::int64_t> r(7, -3000);
    r[0] -= rem;
    r[1] += 5 * rem;
    rows.push_back(r);
  }
  EXPECT_EQ(Check("ties", {}, rows, ZeroBias(rows)), 0u);
}

// Newton parameters other than the default: no steps, few steps, an init that is barely legal,
// and a large init.
TEST(LayerNormRtl, NewtonParameters) {
  std::mt19937_64 rng(4);
  Rows rows(4, std::vector<std::int64_t>(50));
  for (auto& r : rows) {
    for (auto& v : r) v = static_cast<std::int16_t>(rng() >> 40);
  }
  rows[1].assign(50, 3);  // var 0
  const LnConfig configs[] = {{.iters = 0, .init = 1},
                              {.iters = 0, .init = 65536},
                              {.iters = 1, .init = 2},
                              {.iters = 3, .init = 8},
                              {.iters = 10, .init = 1024},
                              {.iters = 20, .init = 1 << 20},
                              {.iters = 30, .init = (std::int64_t{1} << kVarW) - 1},
                              {.iters = 10, .init = 65536, .div = 1}};
  for (const auto& c : configs) {
    EXPECT_EQ(Check("iters " + std::to_string(c.iters) + " init " + std::to_string(c.init), c, rows,
                    ZeroBias(rows)),
              0u);
  }
}

TEST(LayerNormRtl, RandomRowsWithStalls) {
  std::mt19937_64 rng(31337);
  for (int trial = 0; trial < 10; ++trial) {
    Rows rows(3);
    for (auto& row : rows) {
      const int cols = 1 + static_cast<int>(rng() % kMaxCols);
      const int spread = 1 << (rng() % 17);
      const int base = static_cast<int>(rng() % 65536) - 32768;
      for (int c = 0; c < cols; ++c) {
        row.push_back(
            std::clamp(base + static_cast<int>(rng() % spread) - spread / 2, -32768, 32767));
      }
    }
    const Rows bias = RandomBias(rows, rng, std::int64_t{1} << (20 + trial * 4));
    const LnConfig c{.div = (trial % 2) ? model::kDivFloat32 : model::kDivDefault};
    const Stalls stalls{.in_gap_pct = 30, .out_block_pct = 40, .seed = rng()};
    EXPECT_EQ(Check("random trial " + std::to_string(trial), c, rows, bias, stalls), 0u);
  }
}

TEST(LayerNormRtl, CyclesPerDeitTinyRow) {
  std::mt19937_64 rng(2);
  Rows rows(2, std::vector<std::int64_t>(192));
  for (auto& row : rows) {
    for (auto& v : row) v = static_cast<std::int64_t>(rng() % 4001) - 2000;
  }
  const Rows bias = RandomBias(rows, rng, 1 << 28);
  RowTiming t;
  const Rows got = RunLn({}, rows, bias, {}, &t);
  EXPECT_EQ(ExpectSameValues("deit", Flatten(got), Golden({}, rows, bias), 192), 0u);
  ExpectTiming(t, rows, [](std::int64_t n) { return LayerNormLatency(kShape, n, 10); });
  std::printf(
      "[ cycles ] layernorm lanes %d div-steps/cycle %d cols 192: latency %lld, "
      "period %lld\n",
      kLanes, kShape.spc, static_cast<long long>(t.last_out[0] - t.first_in[0]),
      static_cast<long long>(t.first_in[1] - t.first_in[0]));
}

}  // namespace
}  // namespace intvit::tb
