#include "model/quant/synthetic_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/common/error.h"

namespace intvit::model {
namespace {

// Correlation of horizontally adjacent pixel values of one channel.
double NeighbourCorrelation(const Image8& img, int channel) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (std::int64_t y = 0; y < img.height; ++y) {
    for (std::int64_t x = 0; x + 1 < img.width; ++x) {
      const double a = img.pixels[(y * img.width + x) * 3 + channel];
      const double b = img.pixels[(y * img.width + x + 1) * 3 + channel];
      sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b, n += 1;
    }
  }
  const double cov = sxy / n - sx / n * sy / n;
  return cov / std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
}

TEST(SyntheticPixels, SameSeedSamePictureOtherSeedOther) {
  EXPECT_EQ(SyntheticPixels(3, 32, 5).pixels, SyntheticPixels(3, 32, 5).pixels);
  EXPECT_NE(SyntheticPixels(3, 32, 5).pixels, SyntheticPixels(3, 32, 6).pixels);
}

TEST(SyntheticPixels, LooksLikeAPictureNotWhiteNoise) {
  // White noise has neighbour correlation ~0; photographs ~0.9 and more. Every seed tried gives
  // > 0.9 at 224 pixels; at least 40 distinct levels per channel.
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const Image8 img = SyntheticPixels(3, 224, seed);
    EXPECT_EQ(img.pixels.size(), 224u * 224u * 3u);
    for (int c = 0; c < 3; ++c) {
      EXPECT_GT(NeighbourCorrelation(img, c), 0.8) << "seed " << seed << " channel " << c;
      std::set<int> levels;
      for (std::size_t i = c; i < img.pixels.size(); i += 3) levels.insert(img.pixels[i]);
      EXPECT_GT(levels.size(), 40u) << "seed " << seed << " channel " << c;
    }
  }
}

TEST(SyntheticImage, IsTheNormalizedPicture) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  const Image8 img = SyntheticPixels(3, 32, 9);
  const std::vector<float> x = SyntheticImage(c, 9);
  ASSERT_EQ(x.size(), 3u * 32u * 32u);
  // Channel 1 (green), pixel (row 3, column 5).
  const float p = static_cast<float>(img.pixels[(3 * 32 + 5) * 3 + 1]) / 255.0f;
  EXPECT_EQ(x[32 * 32 + 3 * 32 + 5], (p - 0.456f) / 0.224f);
}

TEST(QuantizedSyntheticImage, QuantizesWithTheModelsInputScale) {
  const ModelConfig c = ModelPreset("vit-tiny-test");
  ModelParams p;
  EXPECT_THROW(QuantizedSyntheticImage(c, p, 1), InputError);
  p.reference["input.scale"] = {0.02f};
  p.reference["input.mean"] = InputMean(3);
  p.reference["input.std"] = InputStd(3);
  const Tensor t = QuantizedSyntheticImage(c, p, 9);
  EXPECT_EQ(t.shape(), (std::vector<std::int64_t>{3, 32, 32}));
  EXPECT_EQ(t.dtype(), DType::kInt8);
  EXPECT_EQ(t, QuantizeImage(SyntheticImage(c, 9), 3, 32, 0.02f));
}

}  // namespace
}  // namespace intvit::model
