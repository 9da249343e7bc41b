// GEMM throughput per ISA on DeiT-Tiny's shapes (197 tokens, d = 192, 3 heads of 64, MLP 768).
// Prints GMAC/s per case; "deit_tiny_image" runs every GEMM of one image (patch embedding, 12
// blocks, head) and reports its time, the number the <= 25 ms/image golden-model target rests on.
//   build/bench/gemm_bench [--benchmark_filter=avx512vnni]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/ops/gemm_int8.h"

namespace intvit::model {
namespace {

constexpr std::int64_t kTokens = 197;
constexpr std::int64_t kDim = 192;
constexpr std::int64_t kHeads = 3;
constexpr std::int64_t kHeadDim = 64;
constexpr std::int64_t kMlp = 768;
constexpr std::int64_t kBlocks = 12;
constexpr std::int64_t kPatches = 196;
constexpr std::int64_t kPatchK = 768;  // 16 x 16 x 3
constexpr std::int64_t kClasses = 1000;

template <typename T>
std::vector<T> Random(std::int64_t size, std::int64_t lo, std::int64_t hi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int64_t> d(lo, hi);
  std::vector<T> v(static_cast<std::size_t>(size));
  for (T& e : v) e = static_cast<T>(d(rng));
  return v;
}

void SetGmacs(benchmark::State& state, double macs_per_iteration) {
  state.counters["GMAC/s"] =
      benchmark::Counter(macs_per_iteration * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate);
}

// y [m,n] = x [m,k] * W^T + b with W packed ahead (a Linear layer).
void BM_Linear(benchmark::State& state, GemmIsa isa, std::int64_t m, std::int64_t k,
               std::int64_t n) {
  const auto x = Random<std::int8_t>(m * k, -128, 127, 1);
  const auto w = Random<std::int8_t>(n * k, -128, 127, 2);
  const auto bias = Random<std::int32_t>(n, -100000, 100000, 3);
  const PackedInt8Weights packed = PackInt8Weights(w, n, k);
  std::vector<std::int32_t> y(static_cast<std::size_t>(m * n));
  for (auto _ : state) {
    GemmInt8(isa, m, x.data(), packed, bias.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  SetGmacs(state, static_cast<double>(m * n * k));
}

// scores [T,T] = q [T,64] * k^T, k [T,64] packed as a Linear weight; with_pack times the packing
// of k too, as a real run repacks it per image and head.
void BM_AttentionScores(benchmark::State& state, GemmIsa isa, bool with_pack) {
  const auto q = Random<std::int8_t>(kTokens * kHeadDim, -128, 127, 4);
  const auto k = Random<std::int8_t>(kTokens * kHeadDim, -128, 127, 5);
  PackedInt8Weights packed = PackInt8Weights(k, kTokens, kHeadDim);
  std::vector<std::int32_t> y(static_cast<std::size_t>(kTokens * kTokens));
  for (auto _ : state) {
    if (with_pack) PackInt8WeightsInto(k, kTokens, kHeadDim, &packed);
    GemmInt8(isa, kTokens, q.data(), packed, nullptr, y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  SetGmacs(state, static_cast<double>(kTokens * kTokens * kHeadDim));
}

// out [T,64] = probs [T,T] uint16 * v [T,64].
void BM_AttentionValues(benchmark::State& state, GemmIsa isa, bool with_pack) {
  const auto a = Random<std::uint16_t>(kTokens * kTokens, 0, 65535, 6);
  const auto v = Random<std::int8_t>(kTokens * kHeadDim, -128, 127, 7);
  PackedInt8KxN packed = PackInt8KxN(v, kTokens, kHeadDim);
  std::vector<std::int32_t> y(static_cast<std::size_t>(kTokens * kHeadDim));
  for (auto _ : state) {
    if (with_pack) PackInt8KxNInto(v, kTokens, kHeadDim, &packed);
    GemmUint16Int8(isa, kTokens, a.data(), packed, y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  SetGmacs(state, static_cast<double>(kTokens * kTokens * kHeadDim));
}

// Every GEMM of one DeiT-Tiny image, with distinct weights per block (5.4 MB, as in the model) and
// per-head packing of k and v. Activations are random stand-ins; only the GEMMs are timed.
void BM_DeitTinyImage(benchmark::State& state, GemmIsa isa) {
  struct Block {
    PackedInt8Weights qkv, proj, fc1, fc2;
  };
  std::vector<Block> blocks(kBlocks);
  std::uint32_t seed = 100;
  for (Block& b : blocks) {
    b.qkv =
        PackInt8Weights(Random<std::int8_t>(3 * kDim * kDim, -128, 127, seed++), 3 * kDim, kDim);
    b.proj = PackInt8Weights(Random<std::int8_t>(kDim * kDim, -128, 127, seed++), kDim, kDim);
    b.fc1 = PackInt8Weights(Random<std::int8_t>(kMlp * kDim, -128, 127, seed++), kMlp, kDim);
    b.fc2 = PackInt8Weights(Random<std::int8_t>(kDim * kMlp, -128, 127, seed++), kDim, kMlp);
  }
  const PackedInt8Weights patch =
      PackInt8Weights(Random<std::int8_t>(kDim * kPatchK, -128, 127, seed++), kDim, kPatchK);
  const PackedInt8Weights head =
      PackInt8Weights(Random<std::int8_t>(kClasses * kDim, -128, 127, seed++), kClasses, kDim);
  const auto bias = Random<std::int32_t>(kClasses, -1000, 1000, seed++);
  const auto pixels = Random<std::int8_t>(kPatches * kPatchK, -128, 127, seed++);
  const auto x = Random<std::int8_t>(kTokens * kMlp, -128, 127, seed++);  // any layer's input
  const auto qkv = Random<std::int8_t>(3 * kHeads * kTokens * kHeadDim, -128, 127, seed++);
  const auto probs = Random<std::uint16_t>(kTokens * kTokens, 0, 512, seed++);
  std::vector<std::int32_t> y(static_cast<std::size_t>(kTokens * kMlp));
  PackedInt8Weights keys;
  PackedInt8KxN values;
  const std::int64_t head_size = kTokens * kHeadDim;
  for (auto _ : state) {
    GemmInt8(isa, kPatches, pixels.data(), patch, bias.data(), y.data());
    for (const Block& b : blocks) {
      GemmInt8(isa, kTokens, x.data(), b.qkv, bias.data(), y.data());
      for (std::int64_t h = 0; h < kHeads; ++h) {
        const std::int8_t* q = qkv.data() + (3 * h) * head_size;
        PackInt8WeightsInto({q + head_size, static_cast<std::size_t>(head_size)}, kTokens, kHeadDim,
                            &keys);
        GemmInt8(isa, kTokens, q, keys, nullptr, y.data());
        PackInt8KxNInto({q + 2 * head_size, static_cast<std::size_t>(head_size)}, kTokens, kHeadDim,
                        &values);
        GemmUint16Int8(isa, kTokens, probs.data(), values, y.data());
      }
      GemmInt8(isa, kTokens, x.data(), b.proj, bias.data(), y.data());
      GemmInt8(isa, kTokens, x.data(), b.fc1, bias.data(), y.data());
      GemmInt8(isa, kTokens, x.data(), b.fc2, bias.data(), y.data());
    }
    GemmInt8(isa, 1, x.data(), head, bias.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double per_block = static_cast<double>(kTokens * kDim * (3 * kDim + kDim + 2 * kMlp) +
                                               kHeads * 2 * kTokens * kTokens * kHeadDim);
  SetGmacs(state, kBlocks * per_block + static_cast<double>(kPatches * kPatchK * kDim) +
                      static_cast<double>(kDim * kClasses));
}

void RegisterAll() {
  struct LinearCase {
    const char* name;
    std::int64_t k, n;
  };
  const LinearCase linears[] = {
      {"qkv", kDim, 3 * kDim}, {"proj", kDim, kDim}, {"fc1", kDim, kMlp}, {"fc2", kMlp, kDim}};
  for (GemmIsa isa : SupportedGemmIsas()) {
    // Names are built with append: GCC 12 misfires -Wrestrict on "literal" + std::string.
    auto name = [isa](std::string stem) {
      stem.append("/").append(GemmIsaName(isa));
      return stem;
    };
    for (const LinearCase& c : linears) {
      std::string stem = c.name;
      stem.append("_").append(std::to_string(kTokens)).append("x").append(std::to_string(c.k));
      stem.append("x").append(std::to_string(c.n));
      benchmark::RegisterBenchmark(name(stem).c_str(), BM_Linear, isa, kTokens, c.k, c.n)
          ->Unit(benchmark::kMicrosecond);
    }
    for (bool with_pack : {false, true}) {
      const char* pack = with_pack ? "_pack+gemm" : "_gemm";
      benchmark::RegisterBenchmark(name(std::string("attn_qk_197x64x197").append(pack)).c_str(),
                                   BM_AttentionScores, isa, with_pack)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(name(std::string("attn_av_197x197x64").append(pack)).c_str(),
                                   BM_AttentionValues, isa, with_pack)
          ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark(name("deit_tiny_image").c_str(), BM_DeitTinyImage, isa)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace
}  // namespace intvit::model

int main(int argc, char** argv) {
  intvit::model::RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
