// Every requant kernel ISA against the per-element formula of the arith layer (DyadicMultiply*
// with the exact 128-bit product, SaturatingAdd, SaturateToBits), bit for bit, on random and
// edge data: saturation both ways, exact ties for both roundings, m = +-2^31 and 2^31 - 1,
// negative m, e at 1, 2, 31, 32, 61, 62 and outside the fast range, int64 inputs beyond int32,
// per-tensor and per-channel multipliers, tails of every length.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "model/arith/saturate.h"
#include "model/ops/requant.h"
#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

template <typename In, typename Res, typename Out>
std::vector<Out> Expected(const RequantParams& p, std::int64_t channels, const std::vector<In>& x,
                          const std::vector<Res>& res) {
  std::vector<Out> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t c = i % static_cast<std::size_t>(channels);
    std::int64_t v = DyadicMultiplyWithRounding(x[i], p.mult[p.mult.size() > 1 ? c : 0], p.rounding);
    if (p.HasResidual()) {
      v = SaturatingAdd(v, DyadicMultiplyWithRounding(
                               res[i], p.mult_res[p.mult_res.size() > 1 ? c : 0], p.rounding));
    }
    y[i] = static_cast<Out>(SaturateToBits(v, p.out_bits));
  }
  return y;
}

class RequantIsaTest : public ::testing::TestWithParam<GemmIsa> {
 protected:
  void SetUp() override {
    if (!GemmIsaSupported(GetParam())) {
      GTEST_SKIP() << GemmIsaName(GetParam()) << " not supported by this CPU";
    }
  }

  // Runs every channel count over the data and compares.
  template <typename In, typename Res, typename Out>
  void Check(const RequantParams& p, std::int64_t channels, const std::vector<In>& x,
             const std::vector<Res>& res, const std::string& what) {
    ASSERT_EQ(x.size() % static_cast<std::size_t>(channels), 0u);
    std::vector<Out> y(x.size());
    Requant<In, Res, Out>(GetParam(), p, channels, x, p.HasResidual() ? std::span<const Res>(res)
                                                                       : std::span<const Res>(),
                          y);
    const std::vector<Out> want = Expected<In, Res, Out>(p, channels, x, res);
    for (std::size_t i = 0; i < y.size(); ++i) {
      ASSERT_EQ(std::int64_t{y[i]}, std::int64_t{want[i]})
          << what << " i=" << i << " x=" << std::int64_t{x[i]}
          << (p.HasResidual() ? " res=" + std::to_string(std::int64_t{res[i]}) : std::string());
    }
  }
};

// Multipliers that reach every corner of the 64-bit kernels and a few that leave them.
std::vector<Dyadic> EdgeMultipliers() {
  const std::int64_t two31 = std::int64_t{1} << 31;
  std::vector<Dyadic> out;
  for (std::int64_t m : {two31, -two31, two31 - 1, -(two31 - 1), std::int64_t{1} << 30,
                         -(std::int64_t{1} << 30), std::int64_t{1518500250}, std::int64_t{-1234567891}}) {
    for (int e : {1, 2, 3, 16, 30, 31, 32, 33, 40, 61, 62, 63, 70, 0, -1, -5}) out.push_back({m, e});
  }
  return out;
}

template <typename T>
std::vector<T> Cast(const std::vector<std::int64_t>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// Data of a type: its edge values, then seeded random values of the whole range, with
// length n (a multiple of nothing in particular).
template <typename T>
std::vector<T> EdgeAndRandom(std::uint64_t seed, std::size_t n) {
  std::vector<std::int64_t> v = testing::SignedEdgeValues(8 * sizeof(T));
  const auto r = testing::RandomValues(seed, n, std::numeric_limits<T>::min(),
                                       std::numeric_limits<T>::max());
  v.insert(v.end(), r.begin(), r.end());
  v.resize(n);
  return Cast<T>(v);
}

TEST_P(RequantIsaTest, PerTensorEdgeMultipliersAllInputWidths) {
  for (Rounding rounding : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    for (int bits : {8, 16}) {
      for (const Dyadic& d : EdgeMultipliers()) {
        RequantParams p{{d}, {}, bits, rounding};
        const std::string what = "m=" + std::to_string(d.m) + " e=" + std::to_string(d.e) +
                                 " bits=" + std::to_string(bits) + " " +
                                 std::string(RoundingName(rounding));
        const auto x16 = EdgeAndRandom<std::int16_t>(1, 203);
        const auto x32 = EdgeAndRandom<std::int32_t>(2, 211);
        auto x64 = EdgeAndRandom<std::int64_t>(3, 223);
        // int64 groups that fit int32 take the lanes, others the per-element formula: mix both.
        for (std::size_t i = 100; i < 180; ++i) x64[i] = static_cast<std::int32_t>(x64[i]);
        Check<std::int16_t, std::int16_t, std::int16_t>(p, 1, x16, {}, what + " in16");
        Check<std::int32_t, std::int32_t, std::int16_t>(p, 1, x32, {}, what + " in32");
        Check<std::int64_t, std::int64_t, std::int16_t>(p, 1, x64, {}, what + " in64");
        if (bits == 8) {
          Check<std::int16_t, std::int16_t, std::int8_t>(p, 1, x16, {}, what + " in16");
          Check<std::int32_t, std::int32_t, std::int8_t>(p, 1, x32, {}, what + " in32");
          Check<std::int64_t, std::int64_t, std::int8_t>(p, 1, x64, {}, what + " in64");
        }
      }
    }
  }
}

TEST_P(RequantIsaTest, ExactTiesRoundBothWays) {
  // x * m / 2^e = k + 1/2 exactly: m = 2^30, e = 31 gives x / 2; m = 3 * 2^28, e = 30 gives
  // 3x / 4 (ties when x = 2 mod 4); negative m flips the sign of every tie.
  for (Rounding rounding : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    for (const Dyadic d : {Dyadic{std::int64_t{1} << 30, 31}, Dyadic{-(std::int64_t{1} << 30), 31},
                           Dyadic{3 * (std::int64_t{1} << 28), 30},
                           Dyadic{std::int64_t{1} << 31, 32}, Dyadic{-(std::int64_t{1} << 31), 32},
                           Dyadic{std::int64_t{1} << 31, 62}}) {
      std::vector<std::int32_t> x;
      for (std::int32_t v = -300; v <= 300; ++v) x.push_back(v);
      for (std::int32_t v : {INT32_MIN, INT32_MIN + 1, INT32_MAX - 1, INT32_MAX}) x.push_back(v);
      RequantParams p{{d}, {}, 16, rounding};
      Check<std::int32_t, std::int32_t, std::int16_t>(p, 1, x, {}, "ties m=" + std::to_string(d.m));
      p.out_bits = 8;
      Check<std::int32_t, std::int32_t, std::int8_t>(p, 1, x, {}, "ties8 m=" + std::to_string(d.m));
      // With a residual whose own tie rounds separately.
      p.mult_res = {d};
      p.out_bits = 16;
      Check<std::int32_t, std::int16_t, std::int16_t>(
          p, 1, x, Cast<std::int16_t>(std::vector<std::int64_t>(x.size(), 1)), "ties+res");
    }
  }
}

TEST_P(RequantIsaTest, PerChannelAndResidualAllTails) {
  const auto mults = EdgeMultipliers();
  std::uint64_t seed = 10;
  for (Rounding rounding : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    for (std::int64_t channels : {1, 2, 7, 8, 9, 15, 16, 17, 192, 197}) {
      for (bool res_per_channel : {false, true}) {
        for (bool per_channel : {false, true}) {
          // Multipliers from the fast domain (the realistic case) and, for one seed in 5, one from
          // outside it, which sends the whole call to the general path.
          auto pick = [&](std::uint64_t s, std::int64_t n) {
            std::vector<Dyadic> out;
            const auto idx = testing::RandomValues(s, static_cast<std::size_t>(n), 0,
                                                   static_cast<std::int64_t>(mults.size()) - 1);
            for (std::int64_t i : idx) {
              Dyadic d = mults[static_cast<std::size_t>(i)];
              if (d.e < 2 || d.e > 62) d.e = 31;
              out.push_back(d);
            }
            if (s % 5 == 0) out.back() = Dyadic{std::int64_t{1} << 30, 0};
            return out;
          };
          RequantParams p;
          p.rounding = rounding;
          p.mult = pick(seed++, per_channel ? channels : 1);
          p.mult_res = pick(seed++, res_per_channel ? channels : 1);
          const std::int64_t rows = 5;
          const auto n = static_cast<std::size_t>(rows * channels);
          const std::string what = "channels=" + std::to_string(channels) +
                                   " pc=" + std::to_string(per_channel) +
                                   " rpc=" + std::to_string(res_per_channel);
          const std::uint64_t s0 = seed;
          seed += 16;
          p.out_bits = 16;
          Check<std::int32_t, std::int16_t, std::int16_t>(p, channels, EdgeAndRandom<std::int32_t>(s0 + 1, n),
                                                          EdgeAndRandom<std::int16_t>(s0 + 2, n), what);
          Check<std::int16_t, std::int16_t, std::int16_t>(p, channels, EdgeAndRandom<std::int16_t>(s0 + 3, n),
                                                          EdgeAndRandom<std::int16_t>(s0 + 4, n), what);
          auto x64 = EdgeAndRandom<std::int64_t>(s0 + 5, n);
          auto r64 = EdgeAndRandom<std::int64_t>(s0 + 6, n);
          for (std::size_t i = n / 3; i < n; ++i) {
            x64[i] = static_cast<std::int32_t>(x64[i]);
            r64[i] = static_cast<std::int32_t>(r64[i]);
          }
          Check<std::int64_t, std::int64_t, std::int16_t>(p, channels, x64, r64, what + " in64");
          p.out_bits = 8;
          Check<std::int32_t, std::int32_t, std::int8_t>(p, channels, EdgeAndRandom<std::int32_t>(s0 + 7, n),
                                                         EdgeAndRandom<std::int32_t>(s0 + 8, n), what);
          Check<std::int64_t, std::int64_t, std::int8_t>(p, channels, x64, r64, what + " in64");
          p.mult_res.clear();
          Check<std::int32_t, std::int32_t, std::int8_t>(p, channels, EdgeAndRandom<std::int32_t>(s0 + 9, n),
                                                         {}, what + " nores");
          Check<std::int64_t, std::int64_t, std::int8_t>(p, channels, x64, {}, what + " nores in64");
        }
      }
    }
  }
}

TEST_P(RequantIsaTest, SmallLayerNormLikeInt64Values) {
  // The ViT's int64 requant input: LayerNorm outputs, mostly within 2^31, some beyond.
  RequantParams p{{}, {}, 8, Rounding::kHalfEven};
  const auto ms = testing::RandomValues(40, 192, -(std::int64_t{1} << 31), std::int64_t{1} << 31);
  const auto es = testing::RandomValues(41, 192, 28, 45);
  for (std::size_t c = 0; c < 192; ++c) p.mult.push_back({ms[c], static_cast<int>(es[c])});
  auto x = Cast<std::int64_t>(testing::RandomValues(42, 192 * 197, -(std::int64_t{1} << 31),
                                                    (std::int64_t{1} << 31) - 1));
  for (std::size_t i = 0; i < x.size(); i += 97) x[i] = (std::int64_t{1} << 33) + static_cast<std::int64_t>(i);
  Check<std::int64_t, std::int64_t, std::int8_t>(p, 192, x, {}, "ln-like");
}

TEST_P(RequantIsaTest, AllInt16InputsBothRoundings) {
  std::vector<std::int16_t> x;
  for (int v = INT16_MIN; v <= INT16_MAX; ++v) x.push_back(static_cast<std::int16_t>(v));
  for (Rounding r : {Rounding::kHalfEven, Rounding::kHalfUp}) {
    RequantParams p{{Dyadic{1518500250, 31}}, {Dyadic{-(std::int64_t{1} << 30), 33}}, 8, r};
    std::vector<std::int16_t> res(x.rbegin(), x.rend());
    Check<std::int16_t, std::int16_t, std::int8_t>(p, 1, x, res, "all int16");
  }
}

TEST(RequantIsa, DefaultOverloadMatchesScalar) {
  RequantParams p{{Dyadic{1518500250, 31}}, {}, 8, Rounding::kHalfEven};
  const auto x = Cast<std::int32_t>(testing::RandomValues(7, 1000, INT32_MIN, INT32_MAX));
  std::vector<std::int8_t> a(x.size()), b(x.size());
  Requant<std::int32_t, std::int8_t>(p, 1, x, a);
  Requant<std::int32_t, std::int32_t, std::int8_t>(GemmIsa::kScalar, p, 1, x, {}, b);
  EXPECT_EQ(a, b);
}

INSTANTIATE_TEST_SUITE_P(AllIsas, RequantIsaTest,
                         ::testing::Values(GemmIsa::kScalar, GemmIsa::kAvx2, GemmIsa::kAvx512Vnni),
                         [](const auto& info) { return std::string(GemmIsaName(info.param)); });

}  // namespace
}  // namespace intvit::model
