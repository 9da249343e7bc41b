// Property tests: a linear layer tiled for random SRAM sizes and array shapes (sizes not
// divisible by R or C included), executed, equals model::Linear (and model::Requant for the
// requant epilogues).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "compiler/lower/lower_linear.h"
#include "model/ops/linear.h"
#include "model/ops/requant.h"
#include "sim/isa/executor.h"

namespace intvit::sim {
namespace {

using compiler::DramTensor;
using compiler::LinearSpec;
using model::DType;

struct Case {
  std::int64_t m, n, k;
  compiler::ArchConfig arch;
  LinearSpec::Epilogue epi;
  bool per_channel;
};

template <typename T>
std::vector<T> Random(std::mt19937_64& rng, std::size_t n, std::int64_t lo, std::int64_t hi) {
  std::uniform_int_distribution<std::int64_t> d(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

class DramBuilder {
 public:
  DramTensor Put(const std::string& name, DType t, std::int64_t rows, std::int64_t cols,
                 const void* data) {
    const std::uint64_t addr = (image.size() + 63) / 64 * 64;
    const std::uint64_t bytes = static_cast<std::uint64_t>(rows * cols * model::DTypeSize(t));
    image.resize(addr + bytes);
    if (data != nullptr) std::memcpy(image.data() + addr, data, bytes);
    return {name, addr, rows, cols, t, static_cast<std::uint64_t>(cols * model::DTypeSize(t))};
  }
  std::vector<std::uint8_t> image;
};

model::RequantParams RandomRequant(std::mt19937_64& rng, std::int64_t channels, int out_bits,
                                   bool residual, int shift) {
  model::RequantParams p;
  p.out_bits = out_bits;
  std::uniform_int_distribution<std::int64_t> m(std::int64_t{1} << 30, std::int64_t{1} << 31);
  for (std::int64_t c = 0; c < channels; ++c)
    p.mult.push_back({m(rng), shift + static_cast<int>(c % 3)});
  if (residual) {
    for (std::int64_t c = 0; c < channels; ++c) p.mult_res.push_back({m(rng), 32});
  }
  return p;
}

std::vector<std::int64_t> Pairs(const std::vector<model::Dyadic>& d) {
  std::vector<std::int64_t> v;
  for (const auto& x : d) v.push_back(x.m), v.push_back(x.e);
  return v;
}

void RunCase(const Case& c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto a = Random<std::int8_t>(rng, c.m * c.k, -128, 127);
  const auto w = Random<std::int8_t>(rng, c.n * c.k, -128, 127);
  const auto b = Random<std::int32_t>(rng, c.n, -100000, 100000);
  const auto res = Random<std::int16_t>(rng, c.m * c.n, -32768, 32767);
  const std::int64_t ch = c.per_channel ? c.n : 1;
  model::RequantParams rq1 =
      RandomRequant(rng, ch, c.epi == LinearSpec::Epilogue::kRequant ? 8 : 16, false, 40);
  model::RequantParams rq2 = RandomRequant(rng, ch, 16, true, 31);

  DramBuilder d;
  LinearSpec s;
  s.name = "gemm";
  s.m = c.m, s.n = c.n, s.k = c.k;
  s.a = d.Put("a", DType::kInt8, c.m, c.k, a.data());
  s.w = d.Put("w", DType::kInt8, c.n, c.k, w.data());
  s.has_bias = true;
  s.bias_addr = d.Put("b", DType::kInt32, 1, c.n, b.data()).addr;
  const auto p1 = Pairs(rq1.mult), p2 = Pairs(rq2.mult), p2r = Pairs(rq2.mult_res);
  s.rq1 = {&rq1, d.Put("rq1", DType::kInt64, ch, 2, p1.data()).addr, 0};
  s.rq2 = {&rq2, d.Put("rq2", DType::kInt64, ch, 2, p2.data()).addr,
           d.Put("rq2r", DType::kInt64, ch, 2, p2r.data()).addr};
  s.residual = d.Put("res", DType::kInt16, c.m, c.n, res.data());
  s.epilogue = c.epi;
  const DType out_t = c.epi == LinearSpec::Epilogue::kStoreInt32 ? DType::kInt32
                      : c.epi == LinearSpec::Epilogue::kRequant  ? DType::kInt8
                                                                 : DType::kInt16;
  s.mid_dtype = c.epi == LinearSpec::Epilogue::kResidual ? DType::kInt16 : out_t;
  s.out = d.Put("out", out_t, c.m, c.n, nullptr);

  compiler::Program p;
  p.arch = c.arch;
  compiler::Lowering lw(p, 0);
  compiler::LowerLinear(lw, s);
  const Machine machine = RunInstructions(c.arch, p.instrs, d.image);

  std::vector<std::int32_t> acc(c.m * c.n);
  model::Linear({c.m, c.k, c.n}, a, w, b, acc);
  std::vector<std::int64_t> want(acc.begin(), acc.end());
  if (c.epi == LinearSpec::Epilogue::kRequant) {
    std::vector<std::int8_t> y(acc.size());
    model::Requant<std::int32_t, std::int8_t>(rq1, ch == 1 ? c.n : ch, acc, y);
    want.assign(y.begin(), y.end());
  } else if (c.epi == LinearSpec::Epilogue::kResidual) {
    std::vector<std::int16_t> mid(acc.size()), y(acc.size());
    model::Requant<std::int32_t, std::int16_t>(rq1, c.n, acc, mid);
    model::Requant<std::int16_t, std::int16_t, std::int16_t>(rq2, c.n, mid, res, y);
    want.assign(y.begin(), y.end());
  }
  const std::uint8_t* out = machine.dram().data() + s.out.addr;
  const int es = model::DTypeSize(out_t);
  for (std::int64_t e = 0; e < c.m * c.n; ++e) {
    std::int64_t got = 0;
    if (es == 1) got = static_cast<std::int8_t>(out[e]);
    if (es == 2) got = static_cast<std::int16_t>(out[2 * e] | (out[2 * e + 1] << 8));
    if (es == 4) {
      std::int32_t v;
      std::memcpy(&v, out + 4 * e, 4);
      got = v;
    }
    ASSERT_EQ(got, want[e]) << "element " << e << " of " << c.m << "x" << c.n << "x" << c.k
                            << " on " << c.arch.array_rows << "x" << c.arch.array_cols << " act "
                            << c.arch.act.kib << " wgt " << c.arch.wgt.kib << " acc "
                            << c.arch.acc.kib << " vec " << c.arch.vec.kib << " KiB, "
                            << p.layers[0].tiling;
  }
}

TEST(TiledGemm, RandomShapesAndConfigsEqualLinear) {
  std::mt19937_64 rng(2024);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 60; ++trial) {
    Case c;
    c.m = pick(1, 90), c.n = pick(1, 120), c.k = pick(1, 300);
    c.arch.array_rows = pick(1, 40), c.arch.array_cols = pick(1, 40);
    c.arch.act.kib = pick(1, 8), c.arch.wgt.kib = pick(1, 8);
    c.arch.acc.kib = pick(1, 8), c.arch.vec.kib = pick(2, 8);
    c.epi = static_cast<LinearSpec::Epilogue>(trial % 3);
    c.per_channel = trial % 2 == 0;
    SCOPED_TRACE("trial " + std::to_string(trial));
    RunCase(c, static_cast<std::uint64_t>(trial));
  }
}

TEST(TiledGemm, KSplitAndRowSplitWhenBuffersAreSmall) {
  Case c{100, 64, 700, {}, LinearSpec::Epilogue::kStoreInt32, true};
  c.arch.act.kib = 4, c.arch.wgt.kib = 1, c.arch.acc.kib = 4, c.arch.vec.kib = 4;
  RunCase(c, 7);
  const compiler::GemmTiling t = [&] {
    LinearSpec s;
    s.name = "x", s.m = c.m, s.n = c.n, s.k = c.k;
    s.epilogue = LinearSpec::Epilogue::kStoreInt32;
    return compiler::PlanLinear(s, c.arch);
  }();
  EXPECT_LT(t.kb, c.k);
  EXPECT_LT(t.mb, c.m);
}

}  // namespace
}  // namespace intvit::sim
