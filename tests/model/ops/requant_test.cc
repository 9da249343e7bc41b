#include "model/ops/requant.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/common/error.h"
#include "tests/model/test_util.h"

namespace intvit::model {
namespace {

constexpr Dyadic kHalf{std::int64_t{1} << 30, 31};

template <typename Out, typename In>
std::vector<Out> RunRequant(const RequantParams& p, std::int64_t channels, const std::vector<In>& x) {
  std::vector<Out> y(x.size());
  Requant<In, Out>(p, channels, std::span<const In>(x), std::span<Out>(y));
  return y;
}

TEST(Requant, PerTensorHalvingRoundsTiesToEvenThenClamps) {
  RequantParams p{{kHalf}, {}, 8, Rounding::kHalfEven};
  const std::vector<std::int32_t> x = {3, 5, -3, -5, 254, 255, 256, 1000, -256, -257, -1000};
  // 1.5->2, 2.5->2, -1.5->-2, -2.5->-2, 127, 127.5->128->127, 128->127, clamp, -128,
  // -128.5->-128, clamp.
  const std::vector<std::int8_t> want = {2, 2, -2, -2, 127, 127, 127, 127, -128, -128, -128};
  EXPECT_EQ(RunRequant<std::int8_t>(p, 1, x), want);
}

TEST(Requant, HalfUpRoundsTiesTowardPlusInfinity) {
  RequantParams p{{kHalf}, {}, 8, Rounding::kHalfUp};
  const std::vector<std::int32_t> x = {3, 5, -3, -5};
  const std::vector<std::int8_t> want = {2, 3, -1, -2};
  EXPECT_EQ(RunRequant<std::int8_t>(p, 1, x), want);
}

TEST(Requant, PerChannelUsesTheLastAxis) {
  // channel 0: x 1.0; channel 1: x 0.5; channel 2: x 2 (e = 30).
  RequantParams p{{Dyadic{std::int64_t{1} << 30, 30}, kHalf, Dyadic{std::int64_t{1} << 30, 29}},
                  {},
                  16,
                  Rounding::kHalfEven};
  const std::vector<std::int32_t> x = {7, 7, 7, -9, -9, -9};
  const std::vector<std::int16_t> want = {7, 4, 14, -9, -4, -18};
  EXPECT_EQ(RunRequant<std::int16_t>(p, 3, x), want);
}

TEST(Requant, ResidualBranchesAreRoundedSeparatelyThenSummed) {
  // Each branch 3 * 0.5 = 1.5 rounds to 2; the sum is 4. Rounding the exact sum (3) would
  // differ: this pins I-ViT's two-branch semantics.
  RequantParams p{{kHalf}, {kHalf}, 16, Rounding::kHalfEven};
  const std::vector<std::int32_t> x = {3, 1, 32767 * 2};
  const std::vector<std::int16_t> res = {3, 1, 32767 * 2 / 2};
  std::vector<std::int16_t> y(3);
  Requant<std::int32_t, std::int16_t, std::int16_t>(p, 1, x, res, y);
  // 0.5 -> 0 and 0.5 -> 0: 0; the last one is 32767 + 16384 -> clamp 32767.
  EXPECT_EQ(y, (std::vector<std::int16_t>{4, 0, 32767}));
}

TEST(Requant, Int16ClampBounds) {
  RequantParams p{{Dyadic{std::int64_t{1} << 30, 30}}, {}, 16, Rounding::kHalfEven};
  const std::vector<std::int64_t> x = {32767, 32768, -32768, -32769, std::int64_t{1} << 40};
  EXPECT_EQ(RunRequant<std::int16_t>(p, 1, x),
            (std::vector<std::int16_t>{32767, 32767, -32768, -32768, 32767}));
}

TEST(Requant, AllInt16InputsMatchRoundedRationalAndClamp) {
  // A realistic residual-stream requant: ratio 0.7071 (m = 1518500250, e = 31).
  const Dyadic d{1518500250, 31};
  RequantParams p{{d}, {}, 8, Rounding::kHalfEven};
  std::vector<std::int16_t> x;
  for (int v = INT16_MIN; v <= INT16_MAX; ++v) x.push_back(static_cast<std::int16_t>(v));
  const auto y = RunRequant<std::int8_t>(p, 1, x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = std::ldexp(static_cast<double>(x[i]) * static_cast<double>(d.m), -d.e);
    const double r = std::clamp(std::nearbyint(exact), -128.0, 127.0);
    ASSERT_EQ(y[i], static_cast<std::int8_t>(r)) << "x=" << x[i];
  }
}

TEST(CheckRequantParams, RejectsBadSizesWidthsAndMultipliers) {
  RequantParams p{{kHalf, kHalf}, {}, 8, Rounding::kHalfEven};
  EXPECT_NO_THROW(CheckRequantParams(p, 2));
  EXPECT_THROW(CheckRequantParams(p, 3), InputError);  // 2 multipliers for 3 channels
  p.out_bits = 12;
  EXPECT_THROW(CheckRequantParams(p, 2), InputError);
  p = RequantParams{{Dyadic{(std::int64_t{1} << 31) + 1, 31}}, {}, 8, Rounding::kHalfEven};
  EXPECT_THROW(CheckRequantParams(p, 5), InputError);
  p = RequantParams{{kHalf}, {Dyadic{1, 200}}, 8, Rounding::kHalfEven};
  try {
    CheckRequantParams(p, 5);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m_res/e_res[0]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::model
