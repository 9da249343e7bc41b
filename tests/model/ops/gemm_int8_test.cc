// Every ISA against the scalar reference, bit for bit (tier (a): tolerance 0).
#include "model/ops/gemm_int8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/common/error.h"
#include "model/ops/gemm_reference.h"

namespace intvit::model {
namespace {

struct Shape {
  std::int64_t m, n, k;
};

std::string ShapeName(const Shape& s) {
  return std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
}

// Passes when got == want; otherwise names the first mismatch and counts the rest.
::testing::AssertionResult SameBits(const std::vector<std::int32_t>& want,
                                    const std::vector<std::int32_t>& got, std::int64_t n) {
  std::int64_t mismatches = 0;
  std::int64_t first = -1;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i]) {
      if (first < 0) first = static_cast<std::int64_t>(i);
      ++mismatches;
    }
  }
  if (mismatches == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << mismatches << " of " << want.size() << " outputs differ; first at (" << first / n
         << ", " << first % n << "): reference " << want[first] << ", kernel " << got[first];
}

class GemmInt8Isa : public ::testing::TestWithParam<GemmIsa> {
 protected:
  void SetUp() override {
    if (!GemmIsaSupported(GetParam())) {
      GTEST_SKIP() << GemmIsaName(GetParam()) << " not supported by this CPU";
    }
  }

  // Runs GemmInt8 on the ISA under test and the reference; exact-size buffers so that the
  // sanitizer build catches any read or write past them.
  ::testing::AssertionResult Int8Agrees(const Shape& s, const std::vector<std::int8_t>& x,
                                        const std::vector<std::int8_t>& w,
                                        const std::vector<std::int32_t>* bias) {
    const PackedInt8Weights packed = PackInt8Weights(w, s.n, s.k);
    const std::int32_t* b = bias != nullptr ? bias->data() : nullptr;
    std::vector<std::int32_t> want(s.m * s.n), got(s.m * s.n, 0x5A5A5A5A);
    GemmInt8Reference(s.m, s.n, s.k, x.data(), w.data(), b, want.data());
    GemmInt8(GetParam(), s.m, x.data(), packed, b, got.data());
    return SameBits(want, got, s.n) << " [" << ShapeName(s) << "]";
  }

  ::testing::AssertionResult Uint16Agrees(const Shape& s, const std::vector<std::uint16_t>& a,
                                          const std::vector<std::int8_t>& b) {
    const PackedInt8KxN packed = PackInt8KxN(b, s.k, s.n);
    std::vector<std::int32_t> want(s.m * s.n), got(s.m * s.n, 0x5A5A5A5A);
    GemmUint16Int8Reference(s.m, s.n, s.k, a.data(), b.data(), want.data());
    GemmUint16Int8(GetParam(), s.m, a.data(), packed, got.data());
    return SameBits(want, got, s.n) << " [" << ShapeName(s) << "]";
  }
};

// Hand-picked tails (M, N, K not multiples of the 4 / 16 / 64 blocking, and 1s), DeiT-Tiny's
// shapes, then seeded random ones.
std::vector<Shape> TestShapes() {
  std::vector<Shape> shapes = {{1, 1, 1},       {1, 17, 3},      {2, 16, 4},     {3, 15, 5},
                               {4, 64, 8},      {5, 65, 7},      {7, 130, 13},   {9, 100, 67},
                               {49, 47, 1},     {48, 64, 255},   {50, 200, 2},   {6, 1, 300},
                               {197, 576, 192}, {197, 192, 768}, {197, 197, 64}, {1, 256, 4096}};
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<std::int64_t> m(1, 60), n(1, 200), k(1, 300);
  for (int i = 0; i < 30; ++i) shapes.push_back({m(rng), n(rng), k(rng)});
  return shapes;
}

template <typename T>
std::vector<T> RandomVector(std::size_t size, std::int64_t lo, std::int64_t hi, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> d(lo, hi);
  std::vector<T> v(size);
  for (T& e : v) e = static_cast<T>(d(rng));
  return v;
}

TEST_P(GemmInt8Isa, Int8MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(7);
  for (const Shape& s : TestShapes()) {
    const auto x = RandomVector<std::int8_t>(s.m * s.k, -128, 127, rng);
    const auto w = RandomVector<std::int8_t>(s.n * s.k, -128, 127, rng);
    auto bias = RandomVector<std::int32_t>(s.n, -(1 << 20), 1 << 20, rng);
    ASSERT_TRUE(Int8Agrees(s, x, w, &bias));
    ASSERT_TRUE(Int8Agrees(s, x, w, nullptr));
  }
}

TEST_P(GemmInt8Isa, Int8MatchesReferenceOnEdgeData) {
  for (std::int64_t k : {1, 2, 3, 4, 5, 63, 64, 65, 1000, 4096}) {
    for (int pattern = 0; pattern < 5; ++pattern) {
      const Shape s{6, 37, k};
      std::vector<std::int8_t> x(s.m * s.k), w(s.n * s.k);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const bool odd = (i % 2) != 0;
        x[i] = pattern == 0   ? -128
               : pattern == 1 ? 127
               : pattern == 2 ? (odd ? 127 : -128)
               : pattern == 3 ? -128
                              : (odd ? -1 : 1);
      }
      for (std::size_t i = 0; i < w.size(); ++i) {
        const bool odd = (i % 3) != 0;
        w[i] = pattern == 0   ? -128
               : pattern == 1 ? 127
               : pattern == 2 ? (odd ? -128 : 127)
               : pattern == 3 ? 127
                              : (odd ? 1 : -128);
      }
      // Bias at both int32 ends, so that the saturating add runs in both directions.
      std::vector<std::int32_t> bias(s.n);
      for (std::int64_t j = 0; j < s.n; ++j) {
        bias[j] = j % 3 == 0 ? INT32_MAX : j % 3 == 1 ? INT32_MIN : -7;
      }
      ASSERT_TRUE(Int8Agrees(s, x, w, &bias)) << " pattern " << pattern;
      ASSERT_TRUE(Int8Agrees(s, x, w, nullptr)) << " pattern " << pattern;
    }
  }
}

TEST_P(GemmInt8Isa, Int8LargestKIsExact) {
  const Shape s{2, 17, kGemmInt8MaxK};
  const std::vector<std::int8_t> x(s.m * s.k, -128);
  std::vector<std::int8_t> w(s.n * s.k, -128);
  for (std::int64_t kk = 0; kk < s.k; ++kk) w[kk] = 127;  // row 0: the most negative sum
  std::vector<std::int32_t> bias(s.n, 0);
  bias[1] = INT32_MAX;
  ASSERT_TRUE(Int8Agrees(s, x, w, &bias));
}

TEST_P(GemmInt8Isa, Uint16MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(11);
  for (const Shape& s : TestShapes()) {
    const auto a = RandomVector<std::uint16_t>(s.m * s.k, 0, 65535, rng);
    const auto b = RandomVector<std::int8_t>(s.k * s.n, -128, 127, rng);
    ASSERT_TRUE(Uint16Agrees(s, a, b));
  }
}

TEST_P(GemmInt8Isa, Uint16MatchesReferenceOnEdgeDataAndRunBoundaries) {
  std::mt19937 rng(13);
  for (std::int64_t k : {1, 2, 3, 255, 256, 257, 511, 512, 513, 4096}) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      const Shape s{5, 70, k};
      std::vector<std::uint16_t> a(s.m * s.k);
      std::vector<std::int8_t> b(s.k * s.n);
      for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = pattern == 0   ? 65535
               : pattern == 1 ? 0
               : pattern == 2 ? ((i % 2) != 0 ? 65535 : 32768)
                              : static_cast<std::uint16_t>(rng() % 65536);
      }
      for (std::size_t i = 0; i < b.size(); ++i) {
        // Column parity picks the sign, so some columns saturate up and others down.
        const bool up = (i % s.n) % 2 == 0;
        b[i] = pattern == 3 ? static_cast<std::int8_t>(rng() % 256) : up ? 127 : -128;
      }
      ASSERT_TRUE(Uint16Agrees(s, a, b)) << " pattern " << pattern;
    }
  }
}

// Softmax-like rows: each row sums to about 2^15 (I-ViT's Shiftmax output scale).
TEST_P(GemmInt8Isa, Uint16MatchesReferenceOnProbabilityRows) {
  std::mt19937 rng(17);
  const Shape s{197, 64, 197};
  std::vector<std::uint16_t> a(s.m * s.k, 0);
  for (std::int64_t i = 0; i < s.m; ++i) {
    std::int64_t left = 32768;
    for (std::int64_t kk = 0; kk < s.k && left > 0; ++kk) {
      const std::int64_t v =
          kk + 1 == s.k ? left : static_cast<std::int64_t>(rng() % (left + 1)) / 4;
      a[i * s.k + kk] = static_cast<std::uint16_t>(v);
      left -= v;
    }
  }
  const auto b = RandomVector<std::int8_t>(s.k * s.n, -128, 127, rng);
  ASSERT_TRUE(Uint16Agrees(s, a, b));
}

TEST_P(GemmInt8Isa, ZeroRowsWritesNothing) {
  const std::vector<std::int8_t> w(16 * 4, 1);
  const PackedInt8Weights packed = PackInt8Weights(w, 16, 4);
  std::int32_t sentinel = 42;
  GemmInt8(GetParam(), 0, nullptr, packed, nullptr, &sentinel);
  EXPECT_EQ(sentinel, 42);
}

INSTANTIATE_TEST_SUITE_P(AllIsas, GemmInt8Isa,
                         ::testing::Values(GemmIsa::kScalar, GemmIsa::kAvx2, GemmIsa::kAvx512Vnni),
                         [](const ::testing::TestParamInfo<GemmIsa>& info) {
                           return std::string(GemmIsaName(info.param));
                         });

TEST(GemmInt8, UnsupportedIsaThrowsInsteadOfCrashing) {
  const std::vector<std::int8_t> w(4, 1);
  const PackedInt8Weights packed = PackInt8Weights(w, 1, 4);
  const std::vector<std::int8_t> x(4, 1);
  std::int32_t y = 0;
  for (GemmIsa isa : {GemmIsa::kAvx2, GemmIsa::kAvx512Vnni}) {
    if (GemmIsaSupported(isa)) continue;
    EXPECT_THROW(GemmInt8(isa, 1, x.data(), packed, nullptr, &y), InputError);
  }
}

}  // namespace
}  // namespace intvit::model
