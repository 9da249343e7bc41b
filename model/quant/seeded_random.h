// Prepare time: the one random source of `intvit synth` (weights, calibration images, synthetic
// inputs). Everything it draws is a function of the seed alone, so the same seed gives the same
// model file. std::normal_distribution and friends are implementation-defined (libstdc++ and
// libc++ draw different numbers), so the distributions here are written out.
#pragma once

#include <cstdint>
#include <random>

namespace intvit::model {

// Computes:   the SplitMix64 finalizer of seed + (stream + 1) * 0x9E3779B97F4A7C15: an
//             independent-looking seed for a named sub-stream (weights, calibration image i, ...).
// Range:      any values; distinct (seed, stream) pairs give distinct results in practice.
std::uint64_t DeriveSeed(std::uint64_t seed, std::uint64_t stream);

// A std::mt19937_64 (its output sequence is fixed by the C++ standard) with distributions whose
// formulas are stated, so a seed means the same numbers on every standard library. The results
// that go through std::log, std::cos and std::sqrt can differ in the last bit between libm
// implementations; on one platform they are reproducible.
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}

  // (next() >> 11) * 2^-53: uniform on [0, 1), 53 random bits.
  double Uniform();
  // lo + (hi - lo) * Uniform().
  double Uniform(double lo, double hi);
  // An integer uniform on [lo, hi] (hi >= lo), by rejection, so without modulo bias.
  std::int64_t UniformInt(std::int64_t lo, std::int64_t hi);
  // Box-Muller with one output per call: sqrt(-2 ln(1 - u1)) * cos(2 pi u2).
  double Normal();
  // mean + stddev * z, z ~ Normal() redrawn until |z| <= bound (bound > 0, in standard
  // deviations): the truncated normal of DeiT's trunc_normal_ with a = -bound*std, b = bound*std.
  double TruncatedNormal(double mean, double stddev, double bound);
  // exp(sigma * Normal()): a positive factor whose logarithm is normal with median 1.
  double LogNormal(double sigma);

 private:
  std::mt19937_64 engine_;
};

}  // namespace intvit::model
