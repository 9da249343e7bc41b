// rtl/nonlinear/ivit_requant.sv and ivit_add.sv through testbench/vector_units, against
// model::Requant and SaturateToInt16: edge sets (ties in both roundings, m = +-2^31, negative m,
// left shifts that saturate, residual branches that cancel after saturating), seeded random
// sweeps, random stalls, and the cycle formulas.
#include "testbench/rtl_units.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "model/arith/saturate.h"
#include "model/ops/requant.h"
#include "testbench/common/port_bits.h"

namespace intvit::tb {
namespace {

using model::Dyadic;
using model::RequantParams;
using model::Rounding;

std::vector<std::int64_t> GoldenRequant(const RequantParams& p, std::int64_t channels,
                                        const std::vector<std::int64_t>& x,
                                        const std::vector<std::int64_t>& res) {
  std::vector<std::int64_t> y(x.size());
  model::Requant<std::int64_t, std::int64_t, std::int64_t>(p, channels, x, res, y);
  return y;
}

void CheckRequant(const RequantParams& p, std::int64_t channels, const std::vector<std::int64_t>& x,
                  const std::vector<std::int64_t>& res, const std::string& what,
                  FlowControl flow = {}) {
  auto unit = MakeRequantUnit(16);
  const VectorRun run = unit->Run(p, channels, x, res, flow);
  const std::vector<std::int64_t> want = GoldenRequant(p, channels, x, res);
  std::int64_t bad = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] != run.y[i] && bad++ < 5) {
      const std::size_t c = i % static_cast<std::size_t>(channels);
      const Dyadic d = p.mult.size() == 1 ? p.mult[0] : p.mult[c];
      ADD_FAILURE() << what << ": element " << i << " x " << x[i] << " m " << d.m << " e " << d.e
                    << (res.empty() ? "" : " res " + std::to_string(res[i])) << ": golden "
                    << want[i] << ", rtl " << run.y[i];
    }
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << want.size() << " differ";
  if (flow.stall_one_in == 0) {
    EXPECT_EQ(run.cycles, RequantCyclesFormula(static_cast<std::int64_t>(x.size()), channels, 16))
        << what;
  }
}

RequantParams Params(std::vector<Dyadic> m, std::vector<Dyadic> mr, int bits, Rounding r) {
  RequantParams p;
  p.mult = std::move(m);
  p.mult_res = std::move(mr);
  p.out_bits = bits;
  p.rounding = r;
  return p;
}

TEST(IvitRequant, TiesRoundToEvenOrUp) {
  // m = 2^30, e = 31: y = x / 2, so every odd x is a tie; also e = 32 (x / 4, ties at 2 mod 4).
  std::vector<std::int64_t> x;
  for (std::int64_t v = -40; v <= 40; ++v) x.push_back(v);
  for (Rounding r : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    for (int e : {31, 32}) {
      CheckRequant(Params({{1 << 30, e}}, {}, 8, r), 1, x, {},
                   "ties e=" + std::to_string(e) + " " + std::string(model::RoundingName(r)));
    }
  }
}

TEST(IvitRequant, ExtremeMultipliersNegativeMAndInt64Inputs) {
  const std::int64_t m31 = std::int64_t{1} << 31;
  const std::vector<Dyadic> mults = {{m31, 31},     {-m31, 31},     {m31, 62},  {-m31, 63},
                                     {m31, 94},     {-m31, 95},     {m31, 126}, {-(1 << 30), 40},
                                     {m31 - 1, 45}, {-m31 + 1, 52}, {0, 10},    {1, 0}};
  std::vector<std::int64_t> x;
  for (std::int64_t v :
       {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, std::int64_t{0}, std::int64_t{1},
        std::int64_t{-1}, std::int64_t{1} << 40, -(std::int64_t{1} << 40), std::int64_t{INT32_MIN},
        std::int64_t{INT32_MAX}, std::int64_t{32767}, std::int64_t{-32768}}) {
    for (std::size_t c = 0; c < mults.size(); ++c) x.push_back(v);
  }
  for (Rounding r : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    for (int bits : {8, 16}) {
      CheckRequant(Params(mults, {}, bits, r), static_cast<std::int64_t>(mults.size()), x, {},
                   "extremes b" + std::to_string(bits));
    }
  }
}

TEST(IvitRequant, LeftShiftsSaturateAndSaturatedBranchesCancel) {
  // e <= 0 multiplies by 2^-e; large products saturate to int64 per branch (as the golden
  // SaturatingAdd sees them), and two saturated branches of opposite sign sum to -1.
  const std::int64_t m31 = std::int64_t{1} << 31;
  const std::vector<Dyadic> mults = {{1 << 30, 0}, {1 << 30, -1},  {m31, -30},
                                     {-m31, -62},  {1 << 30, -62}, {3, -5}};
  const std::vector<Dyadic> mres = {{-(1 << 30), 0}, {-m31, -1},   {-m31, -30},
                                    {m31, -62},      {1 << 30, 1}, {-3, -5}};
  std::vector<std::int64_t> x, res;
  for (std::int64_t v : {std::int64_t{1}, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1} << 32,
                         std::int64_t{1} << 62, -(std::int64_t{1} << 62), INT64_MAX, INT64_MIN,
                         std::int64_t{12345}}) {
    for (std::size_t c = 0; c < mults.size(); ++c) {
      x.push_back(v);
      res.push_back(c % 2 ? -v : v);
    }
  }
  for (int bits : {8, 16}) {
    CheckRequant(Params(mults, {}, bits, Rounding::kHalfEven), 6, x, {}, "left shifts");
    CheckRequant(Params(mults, mres, bits, Rounding::kHalfEven), 6, x, res, "left + residual");
  }
}

TEST(IvitRequant, ResidualBranchesAreRoundedSeparately) {
  // Each branch is a tie (x/2 and res/2 with x, res odd): rounding the sum would differ.
  std::vector<std::int64_t> x, res;
  for (std::int64_t a = -9; a <= 9; a += 2) {
    for (std::int64_t b = -9; b <= 9; b += 2) {
      x.push_back(a);
      res.push_back(b);
    }
  }
  for (Rounding r : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    CheckRequant(Params({{1 << 30, 31}}, {{1 << 30, 31}}, 16, r), 1, x, res, "residual ties");
  }
}

TEST(IvitRequant, RandomPerChannelAndPerTensorWithAndWithoutResidual) {
  std::mt19937_64 rng(31);
  const std::int64_t m31 = std::int64_t{1} << 31;
  auto rand_dyadic = [&] {
    const std::int64_t m =
        static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * m31 + 1)) - m31;
    const int e = static_cast<int>(rng() % 189) - 62;  // [-62, 126]
    return Dyadic{m, e};
  };
  auto rand_x = [&] { return SignExtend(rng(), 1 + static_cast<int>(rng() % 64)); };
  for (int trial = 0; trial < 24; ++trial) {
    const std::int64_t channels = 1 + static_cast<std::int64_t>(rng() % 40);
    const bool per_channel = trial % 2 == 0;
    const bool residual = trial % 3 != 0;
    std::vector<Dyadic> m, mr;
    for (std::int64_t c = 0; c < (per_channel ? channels : 1); ++c) {
      m.push_back(rand_dyadic());
      if (residual) mr.push_back(rand_dyadic());
    }
    // Realistic exponents too: most requantizations have e in [29, 58].
    if (trial % 4 == 1) {
      for (Dyadic& d : m) d.e = 29 + static_cast<int>(rng() % 30);
    }
    const std::int64_t rows = 1 + static_cast<std::int64_t>(rng() % 12);
    std::vector<std::int64_t> x, res;
    for (std::int64_t i = 0; i < rows * channels; ++i) {
      x.push_back(rand_x());
      if (residual) res.push_back(rand_x());
    }
    const RequantParams p = Params(m, mr, trial % 5 == 0 ? 16 : 8,
                                   trial % 7 < 4 ? Rounding::kHalfEven : Rounding::kHalfUp);
    CheckRequant(p, channels, x, res, "random trial " + std::to_string(trial),
                 {trial % 3 == 2 ? 3 : 0, static_cast<std::uint64_t>(trial)});
  }
}

TEST(IvitAdd, EdgesAndRandomSaturateToInt16) {
  std::vector<std::int64_t> a, b;
  const std::vector<std::int64_t> edges = {-32768, -32767, -16384, -2,    -1,    0,
                                           1,      2,      16383,  16384, 32766, 32767};
  for (std::int64_t x : edges) {
    for (std::int64_t y : edges) {
      a.push_back(x);
      b.push_back(y);
    }
  }
  std::mt19937_64 rng(16);
  for (int i = 0; i < 5000; ++i) {
    a.push_back(SignExtend(rng(), 16));
    b.push_back(SignExtend(rng(), 16));
  }
  auto unit = MakeAddUnit(16);
  for (int stall : {0, 4}) {
    const VectorRun run = unit->Run(a, b, {stall, 2});
    for (std::size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(run.y[i], model::SaturateToInt16(a[i] + b[i])) << a[i] << " + " << b[i];
    }
    if (stall == 0) {
      EXPECT_EQ(run.cycles, AddCyclesFormula(static_cast<std::int64_t>(a.size()), 16));
    }
  }
}

}  // namespace
}  // namespace intvit::tb
