#include "model/quant/resize.h"

#include <gtest/gtest.h>

#include "model/common/error.h"

namespace intvit::model {
namespace {

// The expected pixels below are what Pillow 9.4 (Debian bookworm) gives for
// Image.fromarray(a).resize(size, filter) of the same arrays.
Image8 Gray5x3() {
  Image8 g;
  g.width = 5, g.height = 3, g.channels = 1;
  g.pixels = {0, 40, 200, 255, 13, 90, 10, 250, 30, 120, 255, 0, 128, 64, 7};
  return g;
}

std::vector<std::uint8_t> U8(std::initializer_list<int> v) { return {v.begin(), v.end()}; }

TEST(ResizePil, MatchesPillowBicubicUpAndDown) {
  EXPECT_EQ(ResizePil(Gray5x3(), 7, 4, ResizeFilter::kBicubic).pixels,
            U8({0,  11, 81,  197, 255, 157, 0,  48, 17, 77, 240, 148, 93, 87,
                161, 58, 48, 208, 73,  41,  89, 255, 108, 11, 122, 87, 34, 0}));
  EXPECT_EQ(ResizePil(Gray5x3(), 2, 2, ResizeFilter::kBicubic).pixels, U8({78, 145, 112, 71}));
  // Wider and shorter at once (the horizontal pass runs first, rounded to 8 bits).
  EXPECT_EQ(ResizePil(Gray5x3(), 9, 2, ResizeFilter::kBicubic).pixels,
            U8({28, 20, 21, 116, 222, 213, 164, 87, 49, 204, 140, 10, 69, 173, 108, 38, 45, 51}));
}

TEST(ResizePil, MatchesPillowBilinear) {
  EXPECT_EQ(ResizePil(Gray5x3(), 3, 5, ResizeFilter::kBilinear).pixels,
            U8({17, 177, 117, 33, 165, 103, 56, 148, 81, 110, 110, 51, 146, 85, 31}));
}

TEST(ResizeAndCenterCrop, IsTimmsEvalTransformAsPillowComputesIt) {
  // 10x6 RGB, size 4, crop_pct 0.875: shorter side floor(4 / 0.875) = 4, longer int(4*10/6) = 6;
  // Pillow: img.resize((6, 4), BICUBIC).crop((1, 0, 5, 4)).
  Image8 rgb;
  rgb.width = 10, rgb.height = 6;
  for (int y = 0; y < 6; ++y) {
    for (int x = 0; x < 10; ++x) {
      rgb.pixels.push_back(static_cast<std::uint8_t>((x * 37 + y * 11) % 256));
      rgb.pixels.push_back(static_cast<std::uint8_t>((x * x * 5 + y * 29) % 256));
      rgb.pixels.push_back(static_cast<std::uint8_t>(255 - (x * 23) % 256));
    }
  }
  const Image8 out = ResizeAndCenterCrop(rgb, 4);
  EXPECT_EQ(out.width, 4);
  EXPECT_EQ(out.height, 4);
  EXPECT_EQ(out.pixels,
            U8({76,  28,  210, 139, 76,  170, 207, 158, 133, 59,  150, 93,  92,  70,  210, 154,
                118, 170, 227, 194, 133, 77,  84,  93,  109, 115, 210, 176, 175, 170, 204, 147,
                133, 71,  81,  93,  125, 158, 210, 199, 199, 170, 144, 84,  133, 41,  132, 93}));
}

TEST(ResizeAndCenterCrop, CropPctOneAtTheModelSizeIsTheIdentity) {
  Preprocessing p;
  p.crop_pct = 1.0;
  for (const ResizeFilter f : {ResizeFilter::kBicubic, ResizeFilter::kBilinear}) {
    p.filter = f;
    EXPECT_EQ(ResizeAndCenterCrop(Gray5x3(), 3, p).pixels.size(), 9u);
    Image8 sq = Gray5x3();
    sq.width = 3, sq.height = 5;  // the same 15 bytes as a 3x5 picture
    const Image8 same = ResizePil(sq, 3, 5, f);
    EXPECT_EQ(same.pixels, sq.pixels);
  }
  // crop_pct 0.9 and 224: floor(248.88...) = 248, as Python's math.floor(224 / 0.9).
  p.crop_pct = 0.9;
  Image8 one;
  one.width = one.height = 1, one.channels = 1, one.pixels = {9};
  EXPECT_EQ(ResizeAndCenterCrop(one, 224, p).pixels, std::vector<std::uint8_t>(224 * 224, 9));
  p.crop_pct = 0.0;
  EXPECT_THROW(ResizeAndCenterCrop(one, 4, p), InputError);
}

TEST(ModelPreprocessing, DefaultsToTimmAndRoundTripsThroughTheReference) {
  ModelParams params;
  const Preprocessing d = ModelPreprocessing(params);
  EXPECT_EQ(d.filter, ResizeFilter::kBicubic);
  EXPECT_EQ(d.crop_pct, 0.875);
  Preprocessing p;
  p.filter = ResizeFilter::kBilinear, p.crop_pct = 1.0;
  SetModelPreprocessing(params, p);
  EXPECT_EQ(params.reference.at(kInterpolationKey), std::vector<float>{0.0f});
  EXPECT_EQ(ModelPreprocessing(params).filter, ResizeFilter::kBilinear);
  EXPECT_EQ(ModelPreprocessing(params).crop_pct, 1.0);
  params.reference[kInterpolationKey] = {2.0f};
  EXPECT_THROW(ModelPreprocessing(params), InputError);
  EXPECT_THROW(ParseResizeFilter("nearest", "x"), InputError);
}

}  // namespace
}  // namespace intvit::model
