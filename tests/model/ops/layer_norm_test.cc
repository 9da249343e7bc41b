#include "model/ops/layer_norm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "model/arith/div.h"
#include "model/arith/newton_isqrt.h"
#include "model/common/error.h"

namespace intvit::model {
namespace {

std::vector<std::int64_t> RunLn(const LayerNormParams& p, std::int64_t cols,
                                const std::vector<std::int16_t>& x) {
  std::vector<std::int64_t> y(x.size());
  IntLayerNorm(p, cols, x, y);
  return y;
}

TEST(IntLayerNorm, HandDerivedSmallVarianceRow) {
  // x = [1, 2, 3, 4]: mean = round(2.5) = 2 (ties to even); y = [-1, 0, 1, 2]; var = 6;
  // Newton from 2^16 only halves: k = 64; f = floor((2^31 - 1) / 64) = 33554431;
  // out = floor(y * f / 2) + bias = [-16777216, 0, 16777215, 33554431] + [0, 10, -10, 0].
  LayerNormParams p{{0, 10, -10, 0}, 10, 65536, kDivDefault};
  EXPECT_EQ(RunLn(p, 4, {1, 2, 3, 4}),
            (std::vector<std::int64_t>{-16777216, 10, 16777205, 33554431}));
}

TEST(IntLayerNorm, HandDerivedConvergedRow) {
  // x = [-1000, 1000]: mean 0, var = 2e6, k = 1414 (see NewtonIsqrtFloor tests);
  // f = floor((2^31 - 1) / 1414) = 1518729; out = floor(+-1000 * 1518729 / 2) = +-759364500.
  LayerNormParams p{{0, 0}, 10, 65536, kDivDefault};
  EXPECT_EQ(RunLn(p, 2, {-1000, 1000}), (std::vector<std::int64_t>{-759364500, 759364500}));
  // DIV = 2^31: f = floor(2^31 / 1414) = 1518729 as well; out unchanged.
  p.div = kDivFloat32;
  EXPECT_EQ(RunLn(p, 2, {-1000, 1000}), (std::vector<std::int64_t>{-759364500, 759364500}));
}

TEST(IntLayerNorm, ConstantRowGivesBiasOnly) {
  // var = 0 -> k = 64 (not converged, as specified), y = 0 -> out = bias_int.
  const std::int64_t big = std::int64_t{1} << 40;  // beyond int32, as small gammas give
  LayerNormParams p{{big, -big, 7}, 10, 65536, kDivDefault};
  EXPECT_EQ(RunLn(p, 3, {-32768, -32768, -32768}), (std::vector<std::int64_t>{big, -big, 7}));
}

TEST(IntLayerNorm, NegativeMeanTieRoundsToEven) {
  // x = [-1, -2, -3, -4]: mean = round(-2.5) = -2; y = [1, 0, -1, -2]; k = 64 as above.
  LayerNormParams p{{0, 0, 0, 0}, 10, 65536, kDivDefault};
  EXPECT_EQ(RunLn(p, 4, {-1, -2, -3, -4}),
            (std::vector<std::int64_t>{16777215, 0, -16777216, -33554431}));
}

TEST(IntLayerNorm, ExtremeInt16RowStaysExact) {
  // C = 768 alternating -32768 / 32767: mean = round(-0.5) = 0 (even), var = 384 * (2^30 +
  // (2^15 - 1)^2) ~ 2^39.6; every intermediate fits int64.
  std::vector<std::int16_t> x(768);
  for (int i = 0; i < 768; ++i) x[i] = i % 2 ? 32767 : -32768;
  LayerNormParams p{std::vector<std::int64_t>(768, 0), 10, 65536, kDivDefault};
  const auto y = RunLn(p, 768, x);
  const std::int64_t var = 384 * (std::int64_t{32768} * 32768 + std::int64_t{32767} * 32767);
  const std::int64_t k = NewtonIsqrtFloor(var);
  const std::int64_t f = kDivDefault / k;
  EXPECT_EQ(y[0], (-32768 * f) >> 1);
  EXPECT_EQ(y[1], (32767 * f) >> 1);
}

// Tier (b): against float LayerNorm (gamma 1, beta 0) on residual-stream-like rows. The error
// comes from the integer mean and the isqrt; measured max |err| in normalized units: 0.0006
// (C 192), 0.0018 (C 768). Bound: 0.005.
TEST(IntLayerNorm, ApproximatesFloatLayerNormWithinStatedBound) {
  std::mt19937 rng(11);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (int c : {192, 768}) {
    double worst = 0;
    for (int r = 0; r < 50; ++r) {
      const float scale = std::exp(nd(rng));
      std::vector<std::int16_t> x(c);
      for (auto& v : x) {
        v = static_cast<std::int16_t>(std::clamp(static_cast<int>(std::nearbyint(nd(rng) * 3000 * scale + 500)), -32768, 32767));
      }
      LayerNormParams p{std::vector<std::int64_t>(c, 0), 10, 65536, kDivDefault};
      const auto y = RunLn(p, c, x);
      double mean = 0, var = 0;
      for (auto v : x) mean += v;
      mean /= c;
      for (auto v : x) var += (v - mean) * (v - mean);
      var /= c;
      for (int i = 0; i < c; ++i) {
        const double ref = (x[i] - mean) / std::sqrt(var);
        const double got = static_cast<double>(y[i]) * std::sqrt(static_cast<double>(c)) / 1073741824.0;
        worst = std::max(worst, std::fabs(got - ref));
      }
    }
    EXPECT_LT(worst, 0.005) << "C=" << c;
  }
}

// The op narrows operands to int32 in vectorized row loops; this evaluates the contract in
// int64 per element, on random and extreme rows, row lengths that are not multiples of any
// vector width, and the f = 2^31 case (div = 2^31 with k = 1) that takes the int64 loop.
TEST(IntLayerNorm, EqualsPerElementEvaluationOfTheContract) {
  std::mt19937 rng(31);
  for (std::int64_t cols : {1, 3, 17, 192, 385}) {
    for (int variant = 0; variant < 4; ++variant) {
      LayerNormParams p;
      if (variant == 1) p.div = kDivFloat32;
      if (variant == 2) {  // k = 1, f = 2^31
        p.div = kDivFloat32;
        p.sqrt_iters = 0;
        p.sqrt_init = 1;
      }
      std::uniform_int_distribution<std::int64_t> b(-(std::int64_t{1} << 40), std::int64_t{1} << 40);
      for (std::int64_t c = 0; c < cols; ++c) p.bias_int.push_back(b(rng));
      std::vector<std::int16_t> x(static_cast<std::size_t>(3 * cols));
      std::uniform_int_distribution<int> v(variant == 3 ? -5 : INT16_MIN, variant == 3 ? 5 : INT16_MAX);
      for (auto& e : x) e = static_cast<std::int16_t>(v(rng));
      // Row 1: the int16 extremes alternating (largest |x - mean|).
      for (std::int64_t c = 0; c < cols; ++c) x[cols + c] = c % 2 ? INT16_MIN : INT16_MAX;
      const auto y = RunLn(p, cols, x);
      for (std::int64_t r = 0; r < 3; ++r) {
        std::int64_t sum = 0;
        for (std::int64_t c = 0; c < cols; ++c) sum += x[r * cols + c];
        const std::int64_t mean = RoundingDivHalfEven(sum, cols);
        std::int64_t var = 0;
        for (std::int64_t c = 0; c < cols; ++c) var += (x[r * cols + c] - mean) * (x[r * cols + c] - mean);
        const std::int64_t f = p.div / NewtonIsqrtFloor(var, p.sqrt_iters, p.sqrt_init);
        for (std::int64_t c = 0; c < cols; ++c) {
          const std::int64_t want = (((x[r * cols + c] - mean) * f) >> 1) + p.bias_int[c];
          ASSERT_EQ(y[r * cols + c], want) << "cols=" << cols << " variant=" << variant << " r=" << r;
        }
      }
    }
  }
}

TEST(CheckLayerNormParams, RejectsBadParams) {
  EXPECT_NO_THROW(CheckLayerNormParams({{0, 0}, 10, 65536, kDivDefault}, 2));
  EXPECT_THROW(CheckLayerNormParams({{0, 0}, 10, 65536, kDivDefault}, 3), InputError);
  EXPECT_THROW(CheckLayerNormParams({{0, 0}, 10, 1000, kDivDefault}, 2), InputError);  // < 2^10
  EXPECT_THROW(CheckLayerNormParams({{0, 0}, 63, 65536, kDivDefault}, 2), InputError);
  EXPECT_THROW(CheckLayerNormParams({{0, 0}, 10, 65536, 0}, 2), InputError);
  EXPECT_THROW(CheckLayerNormParams({{std::int64_t{1} << 62, 0}, 10, 65536, kDivDefault}, 2),
               InputError);
}

}  // namespace
}  // namespace intvit::model
