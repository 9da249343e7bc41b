#include "model/quant/seeded_random.h"

#include <cmath>
#include <numbers>

#include "model/common/error.h"

namespace intvit::model {

std::uint64_t DeriveSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + (stream + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double SeededRandom::Uniform() { return static_cast<double>(engine_() >> 11) * 0x1p-53; }

double SeededRandom::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

std::int64_t SeededRandom::UniformInt(std::int64_t lo, std::int64_t hi) {
  Require(hi >= lo, "SeededRandom::UniformInt: empty range");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(engine_());
  const std::uint64_t n = span + 1;
  // Reject the 2^64 mod n smallest outputs, so that every residue is equally likely.
  const std::uint64_t threshold = (std::uint64_t{0} - n) % n;
  std::uint64_t r = engine_();
  while (r < threshold) r = engine_();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + r % n);
}

double SeededRandom::Normal() {
  const double u1 = Uniform();
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double SeededRandom::TruncatedNormal(double mean, double stddev, double bound) {
  Require(bound > 0.0, "SeededRandom::TruncatedNormal: the bound must be positive");
  double z = Normal();
  while (std::fabs(z) > bound) z = Normal();
  return mean + stddev * z;
}

double SeededRandom::LogNormal(double sigma) { return std::exp(sigma * Normal()); }

}  // namespace intvit::model
