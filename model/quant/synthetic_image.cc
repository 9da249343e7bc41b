#include "model/quant/synthetic_image.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/common/error.h"
#include "model/quant/seeded_random.h"

namespace intvit::model {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr int kWaves = 6;
constexpr double kNoiseStd = 0.01;

struct Wave {
  double fx, fy, phase;
  std::vector<double> amp;  // per channel
};

struct Ellipse {
  double cx, cy, rx, ry, cos_t, sin_t;
  std::vector<double> color;
  double stripe_freq = 0.0, stripe_angle = 0.0;  // 0: plain
};

}  // namespace

Image8 SyntheticPixels(std::int64_t channels, std::int64_t size, std::uint64_t seed) {
  SeededRandom rng(DeriveSeed(seed, 1));
  auto color = [&](double lo, double hi) {
    std::vector<double> c;
    for (std::int64_t i = 0; i < channels; ++i) c.push_back(rng.Uniform(lo, hi));
    return c;
  };
  const std::vector<double> c0 = color(0.05, 0.95), c1 = color(0.05, 0.95);
  const double angle = rng.Uniform(0.0, kTwoPi);
  const double gx = std::cos(angle), gy = std::sin(angle);
  std::vector<Wave> waves;
  for (int i = 0; i < kWaves; ++i) {
    const double f = rng.Uniform(0.5, 4.0), a = rng.Uniform(0.0, kTwoPi);
    Wave w{f * std::cos(a), f * std::sin(a), rng.Uniform(0.0, kTwoPi), {}};
    const double amp = 0.12 / f;
    for (std::int64_t c = 0; c < channels; ++c) w.amp.push_back(amp * rng.Uniform(0.5, 1.0));
    waves.push_back(std::move(w));
  }
  std::vector<Ellipse> shapes;
  const std::int64_t n_shapes = rng.UniformInt(2, 5);
  for (std::int64_t i = 0; i < n_shapes; ++i) {
    Ellipse e;
    e.cx = rng.Uniform(0.1, 0.9), e.cy = rng.Uniform(0.1, 0.9);
    e.rx = rng.Uniform(0.08, 0.35), e.ry = rng.Uniform(0.08, 0.35);
    const double t = rng.Uniform(0.0, std::numbers::pi);
    e.cos_t = std::cos(t), e.sin_t = std::sin(t);
    e.color = color(0.0, 1.0);
    if (rng.Uniform() < 0.5) e.stripe_freq = rng.Uniform(3.0, 12.0);
    e.stripe_angle = rng.Uniform(0.0, std::numbers::pi);
    shapes.push_back(std::move(e));
  }

  Image8 img;
  img.width = img.height = size;
  img.channels = channels;
  img.pixels.resize(static_cast<std::size_t>(size * size * channels));
  std::vector<double> px(static_cast<std::size_t>(channels));
  for (std::int64_t y = 0; y < size; ++y) {
    for (std::int64_t x = 0; x < size; ++x) {
      const double u = (static_cast<double>(x) + 0.5) / size,
                   v = (static_cast<double>(y) + 0.5) / size;
      const double g = std::clamp(0.5 + 0.7 * ((u - 0.5) * gx + (v - 0.5) * gy), 0.0, 1.0);
      for (std::int64_t c = 0; c < channels; ++c) px[c] = c0[c] + (c1[c] - c0[c]) * g;
      for (const Wave& w : waves) {
        const double s = std::sin(kTwoPi * (w.fx * u + w.fy * v) + w.phase);
        for (std::int64_t c = 0; c < channels; ++c) px[c] += w.amp[c] * s;
      }
      for (const Ellipse& e : shapes) {
        const double dx = u - e.cx, dy = v - e.cy;
        const double a = (dx * e.cos_t + dy * e.sin_t) / e.rx;
        const double b = (-dx * e.sin_t + dy * e.cos_t) / e.ry;
        const double rho = std::sqrt(a * a + b * b);
        // Antialiased edge about one pixel wide.
        const double alpha = std::clamp((1.0 - rho) * std::min(e.rx, e.ry) * size + 0.5, 0.0, 1.0);
        if (alpha <= 0.0) continue;
        double tex = 1.0;
        if (e.stripe_freq > 0.0) {
          tex += 0.2 * std::sin(kTwoPi * e.stripe_freq *
                                (u * std::cos(e.stripe_angle) + v * std::sin(e.stripe_angle)));
        }
        for (std::int64_t c = 0; c < channels; ++c) {
          px[c] = (1.0 - alpha) * px[c] + alpha * e.color[c] * tex;
        }
      }
      for (std::int64_t c = 0; c < channels; ++c) {
        const double val = std::clamp(px[c] + kNoiseStd * rng.Normal(), 0.0, 1.0);
        img.pixels[(y * size + x) * channels + c] =
            static_cast<std::uint8_t>(std::lround(val * 255.0));
      }
    }
  }
  return img;
}

std::vector<float> SyntheticImage(const ModelConfig& config, std::uint64_t seed) {
  const Image8 img = SyntheticPixels(config.in_channels, config.image_size, seed);
  return NormalizeImage(img, InputMean(config.in_channels), InputStd(config.in_channels));
}

Tensor QuantizedSyntheticImage(const ModelConfig& config, const ModelParams& params,
                               std::uint64_t seed) {
  const Image8 img = SyntheticPixels(config.in_channels, config.image_size, seed);
  // The picture is drawn at the model's size, so DeiT's resize-and-crop does not apply.
  const auto mean = params.reference.find("input.mean");
  const auto std = params.reference.find("input.std");
  const auto scale = params.reference.find("input.scale");
  Require(mean != params.reference.end() && std != params.reference.end() &&
              scale != params.reference.end() && !scale->second.empty(),
          "the model has no input.mean/input.std/input.scale reference values");
  return QuantizeImage(NormalizeImage(img, mean->second, std->second), config.in_channels,
                       config.image_size, scale->second[0]);
}

}  // namespace intvit::model
