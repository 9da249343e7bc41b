// rtl/array/ivit_array.sv (mac -> pe -> tile -> mesh) through testbench/array/array_unit.h,
// against model::Linear and model::MatMul: random GEMMs at every built geometry (4x4, 16x16,
// 8x8 with 2x2 tiles), full and partial folds, int8 and uint16 A, bias, several GEMMs back to
// back, random input bubbles, and the exact cycle formula of docs/rtl.md.
#include "testbench/rtl_units.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "model/ops/linear.h"
#include "model/ops/matmul.h"

namespace intvit::tb {
namespace {

struct Gemm {
  std::int64_t m, k, n;
  bool uint16_a;
  bool bias;
  std::vector<std::int32_t> a;
  std::vector<std::int8_t> b;  // [K][N]
  std::vector<std::int32_t> bias_v;
  GemmProblem Problem() const { return {m, k, n, a, b, bias_v}; }
};

Gemm RandomGemm(std::mt19937_64& rng, std::int64_t m, std::int64_t k, std::int64_t n, bool uint16_a,
                bool bias) {
  Gemm g{m, k, n, uint16_a, bias, {}, {}, {}};
  for (std::int64_t i = 0; i < m * k; ++i) {
    // Mostly random, with the extremes of each type often enough to matter.
    const std::uint64_t r = rng();
    std::int32_t v;
    if (uint16_a) {
      v = (r % 8 == 0) ? 65535 : static_cast<std::int32_t>(r % 65536);
    } else {
      v = (r % 8 == 0) ? -128 : (r % 8 == 1 ? 127 : static_cast<std::int32_t>(r % 256) - 128);
    }
    g.a.push_back(v);
  }
  for (std::int64_t i = 0; i < k * n; ++i) {
    const std::uint64_t r = rng();
    g.b.push_back(static_cast<std::int8_t>((r % 8 == 0) ? -128 : static_cast<int>(r % 256) - 128));
  }
  if (bias) {
    for (std::int64_t i = 0; i < n; ++i) {
      g.bias_v.push_back(
          static_cast<std::int32_t>(static_cast<std::int64_t>(rng() % (1u << 28)) - (1 << 27)));
    }
  }
  return g;
}

// The golden result: model::Linear for int8 A (w as [N][K]), model::MatMul for uint16 A.
std::vector<std::int32_t> GoldenGemm(const Gemm& g) {
  std::vector<std::int32_t> y(static_cast<std::size_t>(g.m * g.n));
  if (!g.uint16_a) {
    std::vector<std::int8_t> x(g.a.begin(), g.a.end());
    std::vector<std::int8_t> w(static_cast<std::size_t>(g.n * g.k));
    for (std::int64_t k = 0; k < g.k; ++k) {
      for (std::int64_t n = 0; n < g.n; ++n) w[n * g.k + k] = g.b[k * g.n + n];
    }
    model::Linear({g.m, g.k, g.n}, x, w, g.bias_v, y);
  } else {
    std::vector<std::uint16_t> a(g.a.begin(), g.a.end());
    model::MatMul<std::uint16_t>({1, g.m, g.k, g.n}, a, g.b, y);
    if (g.bias) {
      for (std::int64_t i = 0; i < g.m * g.n; ++i) y[i] += g.bias_v[i % g.n];
    }
  }
  return y;
}

void ExpectSame(const std::vector<std::int32_t>& want, const std::vector<std::int32_t>& got,
                const std::string& what) {
  ASSERT_EQ(want.size(), got.size()) << what;
  std::int64_t bad = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i] && bad++ == 0) first = i;
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << want.size() << " differ; first at " << first
                    << ": expected " << want[first] << ", rtl " << got[first];
}

class ArrayGeometryTest : public ::testing::TestWithParam<ArrayGeometry> {};

TEST_P(ArrayGeometryTest, RandomGemmsFullAndPartialFoldsMatchGolden) {
  const ArrayGeometry geo = GetParam();
  auto unit = MakeArrayUnit(geo);
  ASSERT_NE(unit, nullptr);
  std::mt19937_64 rng(static_cast<std::uint64_t>(geo.rows * 100 + geo.tile_rows));
  const int R = geo.rows, C = geo.cols;
  // (M, K, N): exact folds, partial K, partial N, both, a single row, K and N below one fold,
  // M shorter than the minimum fold period, and several folds in both directions.
  const std::vector<std::array<std::int64_t, 3>> shapes = {
      {7, R, C},         {5, R - 1, C}, {9, R, C - 1},         {3, 2 * R + 1, 2 * C + 3},
      {1, R, C},         {4, 1, 1},     {2 * R + 5, 3 * R, C}, {1, 3 * R - 2, 2 * C - 1},
      {40, 2 * R, 2 * C}};
  int idx = 0;
  for (const auto& s : shapes) {
    for (bool u16 : {false, true}) {
      const Gemm g = RandomGemm(rng, s[0], s[1], s[2], u16, /*bias=*/idx % 2 == 0);
      const GemmProblem p = g.Problem();
      const GemmRun run = unit->Run(std::span(&p, 1));
      const std::string what = geo.Name() + " M=" + std::to_string(s[0]) +
                               " K=" + std::to_string(s[1]) + " N=" + std::to_string(s[2]) +
                               (u16 ? " uint16" : " int8");
      ExpectSame(GoldenGemm(g), run.y[0], what);
      EXPECT_EQ(run.cycles, ArrayCyclesFormula(geo, std::span(&p, 1))) << what;
      ++idx;
    }
  }
}

TEST_P(ArrayGeometryTest, BackToBackGemmsAndRandomBubbles) {
  const ArrayGeometry geo = GetParam();
  auto unit = MakeArrayUnit(geo);
  std::mt19937_64 rng(99);
  std::vector<Gemm> gs;
  gs.push_back(RandomGemm(rng, 6, geo.rows + 3, geo.cols, false, true));
  gs.push_back(RandomGemm(rng, 2 * geo.rows + 7, geo.rows, 2 * geo.cols - 1, true, false));
  gs.push_back(RandomGemm(rng, 1, 2 * geo.rows, 3, false, false));
  std::vector<GemmProblem> ps;
  for (const Gemm& g : gs) ps.push_back(g.Problem());
  for (int stall : {0, 3}) {
    const GemmRun run = unit->Run(ps, {stall, 5});
    for (std::size_t i = 0; i < gs.size(); ++i) {
      ExpectSame(GoldenGemm(gs[i]), run.y[i],
                 geo.Name() + " problem " + std::to_string(i) + " stall " + std::to_string(stall));
    }
    if (stall == 0) {
      EXPECT_EQ(run.cycles, ArrayCyclesFormula(geo, ps));
    } else {
      EXPECT_GT(run.cycles, ArrayCyclesFormula(geo, ps));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Built, ArrayGeometryTest, ::testing::ValuesIn(BuiltArrayGeometries()),
                         [](const auto& info) {
                           std::string n = info.param.Name();
                           for (char& c : n) {
                             if (c == '/') c = '_';
                           }
                           return n;
                         });

TEST(IvitArray, DeitTinyTileOn16x16TakesTheDocumentedCycles) {
  // 197 x 192 x 192 (a DeiT-Tiny projection): 12 x 12 folds of 197 rows.
  std::mt19937_64 rng(197);
  const Gemm g = RandomGemm(rng, 197, 192, 192, false, true);
  const GemmProblem p = g.Problem();
  auto unit = MakeArrayUnit({16, 16, 1, 1});
  const GemmRun run = unit->Run(std::span(&p, 1));
  ExpectSame(GoldenGemm(g), run.y[0], "197x192x192");
  EXPECT_EQ(run.folds, 144);
  EXPECT_EQ(run.cycles, 16 + 144 * 197 + 32);
  EXPECT_EQ(run.cycles, ArrayCyclesFormula({16, 16, 1, 1}, std::span(&p, 1)));
}

TEST(IvitArray, ExtremeOperandsStayExactInInt32) {
  // Every product at its extreme: int8 -128 * -128 over K = 4096, uint16 65535 * -128 over
  // K = 64 (|sum| = 2^29 - 2^23), plus a bias; exact, no wrap.
  for (bool u16 : {false, true}) {
    const std::int64_t k = u16 ? 64 : 4096;
    Gemm g{3, k, 5, u16, true, {}, {}, {}};
    g.a.assign(static_cast<std::size_t>(3 * k), u16 ? 65535 : -128);
    g.b.assign(static_cast<std::size_t>(k * 5), -128);
    g.bias_v = {1 << 20, -(1 << 20), 0, 7, -7};
    const GemmProblem p = g.Problem();
    auto unit = MakeArrayUnit({4, 4, 1, 1});
    const GemmRun run = unit->Run(std::span(&p, 1));
    ExpectSame(GoldenGemm(g), run.y[0], u16 ? "uint16 extremes" : "int8 extremes");
  }
}

}  // namespace
}  // namespace intvit::tb
