#include "model/quant/image_input.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/common/error.h"
#include "model/quant/resize.h"

namespace intvit::model {
namespace {

std::string Ppm(const std::string& header, const std::string& pixels) { return header + pixels; }

std::string Bytes(std::initializer_list<int> v) {
  std::string s;
  for (const int x : v) s.push_back(static_cast<char>(x));
  return s;
}

// Expects ParsePpm to throw an InputError whose message contains `what`.
void ExpectPpmError(const std::string& bytes, const std::string& what) {
  try {
    ParsePpm(bytes, "img.ppm");
    ADD_FAILURE() << "no error for " << what;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("img.ppm"), std::string::npos) << e.what();
  }
}

const std::string k12Pixels = Bytes({255, 124, 0, 0, 0, 0, 128, 128, 128, 10, 200, 50});

TEST(ParsePpm, ReadsAMinimalFile) {
  const Image8 img = ParsePpm(Ppm("P6\n2 2\n255\n", k12Pixels), "x");
  EXPECT_EQ(img.width, 2);
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(std::string(img.pixels.begin(), img.pixels.end()), k12Pixels);
}

TEST(ParsePpm, AcceptsCommentsAndAnyWhitespaceInTheHeader) {
  const Image8 img = ParsePpm(
      Ppm("P6# made by hand\n#second comment\r\n 2\t# width\n\n2 \v\f255\r", k12Pixels), "x");
  EXPECT_EQ(img.width, 2);
  EXPECT_EQ(std::string(img.pixels.begin(), img.pixels.end()), k12Pixels);
}

TEST(ParsePpm, PixelDataMayStartWithWhitespaceBytes) {
  // Exactly one whitespace byte ends the header; '\n' and ' ' after it are pixels.
  const std::string px = Bytes({10, 32, 9, 35, 13, 11});
  const Image8 img = ParsePpm(Ppm("P6 2 1 255\n", px), "x");
  EXPECT_EQ(std::string(img.pixels.begin(), img.pixels.end()), px);
}

TEST(ParsePpm, BadMagicIsAnError) {
  ExpectPpmError("", "P6");
  ExpectPpmError("P3\n2 2\n255\n" + k12Pixels, "P6");
  ExpectPpmError("P5\n2 2\n255\n" + k12Pixels, "8 bytes after the pixel data");  // P5: 1 byte/px
  ExpectPpmError("p6\n2 2\n255\n" + k12Pixels, "P6");
}

TEST(ParsePpm, MaxvalOtherThan255IsAnError) {
  ExpectPpmError("P6\n2 2\n65535\n" + k12Pixels + k12Pixels, "maxval is 65535");
  ExpectPpmError("P6\n2 2\n1\n" + k12Pixels, "maxval is 1");
  ExpectPpmError("P6\n2 2\n256\n" + k12Pixels, "maxval is 256");
  ExpectPpmError("P6\n2 2\n0\n" + k12Pixels, "maxval");
}

TEST(ParsePpm, MalformedHeadersAreErrors) {
  ExpectPpmError("P6", "ends before the width");
  ExpectPpmError("P62 2 255\n" + k12Pixels, "whitespace before the width");
  ExpectPpmError("P6\nab 2\n255\n" + k12Pixels, "width is not a decimal number");
  ExpectPpmError("P6\n-2 2\n255\n" + k12Pixels, "width is not a decimal number");
  ExpectPpmError("P6\n0 2\n255\n", "width is 0");
  ExpectPpmError("P6\n99999 2\n255\n", "width exceeds 16384");
  ExpectPpmError("P6\n2 2 # no maxval", "ends before the maxval");
  ExpectPpmError("P6\n2 2\n255", "one whitespace byte after maxval");
  ExpectPpmError("P6\n2 2\n255#c\n" + k12Pixels, "one whitespace byte after maxval");
}

TEST(ParsePpm, TruncatedOrTrailingPixelDataIsAnError) {
  ExpectPpmError("P6\n2 2\n255\n" + k12Pixels.substr(0, 11), "truncated: 11 bytes");
  ExpectPpmError("P6\n2 2\n255\n", "truncated: 0 bytes");
  ExpectPpmError("P6\n2 2\n255\n" + k12Pixels + "P6", "2 bytes after the pixel data");
}

std::string ReadPpmError(const std::string& path) {
  try {
    ReadPpmFile(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReadPpmFile, RefusesWhatIsNotARegularFileBeforeReading) {
  const std::string dir = ::testing::TempDir();
  EXPECT_NE(ReadPpmError(dir).find(": is a directory; the image must be a regular file"),
            std::string::npos);
  if (std::filesystem::exists("/dev/zero")) {  // would read forever
    EXPECT_EQ(ReadPpmError("/dev/zero"),
              "/dev/zero: is a character device; the image must be a regular file");
  }
  const std::string fifo = dir + "intvit_image_fifo.ppm";
  std::remove(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);  // would block forever
  EXPECT_EQ(ReadPpmError(fifo), fifo + ": is a FIFO (named pipe); the image must be a regular file");
  std::remove(fifo.c_str());
}

TEST(ReadPpmFile, RefusesANonPpmFromItsFirstBytes) {
  const std::string path = ::testing::TempDir() + "intvit_not_a.ppm";
  std::ofstream(path, std::ios::binary) << std::string(1 << 20, 'x');
  EXPECT_EQ(ReadPpmError(path),
            path + ": not a binary PPM or PGM (the file must start with \"P6\" or \"P5\")");
  std::remove(path.c_str());
}

TEST(EncodePpm, RoundTripsThroughParsePpmAndAFile) {
  Image8 img;
  img.width = 2, img.height = 2;
  img.pixels.assign(k12Pixels.begin(), k12Pixels.end());
  const std::string bytes = EncodePpm(img);
  EXPECT_EQ(bytes, "P6\n2 2\n255\n" + k12Pixels);
  const std::string path = ::testing::TempDir() + "intvit_image_input_test.ppm";
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(ReadPpmFile(path).pixels, img.pixels);
  std::remove(path.c_str());
  EXPECT_THROW(ReadPpmFile(path), InputError);
  img.channels = 1;
  EXPECT_THROW(EncodePpm(img), InputError);
}

ModelParams InputReference(float scale) {
  ModelParams p;
  p.reference["input.scale"] = {scale};
  p.reference["input.mean"] = InputMean(3);
  p.reference["input.std"] = InputStd(3);
  return p;
}

TEST(ImageToModelInput, HandMadePpmQuantizesToHandComputedPixels) {
  // A 2x2 model input needs no resize: floor(2 / 0.875) = 2, crop offset 0. With scale 2^-5,
  // RN32(1/s) = 32 and the product is exact, so q = round(32 * (p/255 - mean) / std):
  //   R: 255 -> 32 * 2.24891 = 71.97 -> 72;  0 -> -67.77 -> -68;  128 -> 2.37 -> 2;
  //      10 -> -62.29 -> -62                                  (mean 0.485, std 0.229)
  //   G: 124 -> 4.32 -> 4;  0 -> -65.14 -> -65;  128 -> 6.57 -> 7;  200 -> 46.90 -> 47
  //   B: 0 -> -57.74 -> -58 (twice);  128 -> 13.65 -> 14;  50 -> -29.86 -> -30
  ModelConfig c = ModelPreset("vit-tiny-test");
  c.image_size = 2, c.patch_size = 1;
  const Image8 img = ParsePpm("P6\n2 2\n255\n" + k12Pixels, "hand.ppm");
  const Tensor t = ImageToModelInput(img, c, InputReference(0x1p-5f), Preprocessing{});
  EXPECT_EQ(t.shape(), (std::vector<std::int64_t>{3, 2, 2}));
  EXPECT_EQ(t.ToInt64(),
            (std::vector<std::int64_t>{72, -68, 2, -62, 4, -65, 7, 47, -58, -58, 14, -30}));
  // A scale of 2^-7 saturates: 255 red -> 288 -> 127, black red -> -271 -> -128.
  const Tensor s = ImageToModelInput(img, c, InputReference(0x1p-7f), Preprocessing{});
  EXPECT_EQ(s.ValueAt(0), 127);
  EXPECT_EQ(s.ValueAt(1), -128);
}

TEST(ImageToModelInput, NeedsTheReferenceValuesAndMatchingChannels) {
  ModelConfig c = ModelPreset("vit-tiny-test");
  c.image_size = 2, c.patch_size = 1;
  const Image8 img = ParsePpm("P6\n2 2\n255\n" + k12Pixels, "hand.ppm");
  EXPECT_THROW(ImageToModelInput(img, c, ModelParams{}, Preprocessing{}), InputError);
  c.in_channels = 1;
  EXPECT_THROW(ImageToModelInput(img, c, InputReference(0.02f), Preprocessing{}), InputError);
}

Image8 Filled(std::int64_t w, std::int64_t h, auto value) {
  Image8 img;
  img.width = w, img.height = h;
  for (std::int64_t y = 0; y < h; ++y) {
    for (std::int64_t x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) img.pixels.push_back(static_cast<std::uint8_t>(value(x, y, c)));
    }
  }
  return img;
}

TEST(ResizeAndCenterCrop, CropsTheCenterWithHalfEvenOffsets) {
  // Height 2 is the shorter side and already floor(2 / 0.875) = 2, so only the crop acts.
  auto column = [](std::int64_t x, std::int64_t, int c) { return 10 * x + c; };
  // 4 wide: offset (4 - 2) / 2 = 1.
  EXPECT_EQ(ResizeAndCenterCrop(Filled(4, 2, column), 2).pixels[0], 10);
  // 5 wide: offset round(1.5) = 2; 3 wide: round(0.5) = 0 (ties to even, as Python's round).
  EXPECT_EQ(ResizeAndCenterCrop(Filled(5, 2, column), 2).pixels[0], 20);
  EXPECT_EQ(ResizeAndCenterCrop(Filled(3, 2, column), 2).pixels[0], 0);
  const Image8 out = ResizeAndCenterCrop(Filled(4, 2, column), 2);
  EXPECT_EQ(out.width, 2);
  EXPECT_EQ(out.height, 2);
  EXPECT_EQ(out.pixels,
            (std::vector<std::uint8_t>{10, 11, 12, 20, 21, 22, 10, 11, 12, 20, 21, 22}));
}

TEST(ResizeAndCenterCrop, KeepsFlatColoursAndMonotonicGradients) {
  const Image8 flat =
      ResizeAndCenterCrop(Filled(50, 40, [](auto, auto, int c) { return 60 + c; }), 16);
  EXPECT_EQ(flat.width, 16);
  for (std::size_t i = 0; i < flat.pixels.size(); ++i) EXPECT_EQ(flat.pixels[i], 60 + i % 3);
  // A horizontal ramp downscaled 300 -> 18 (then cropped to 16) stays a ramp.
  const Image8 ramp =
      ResizeAndCenterCrop(Filled(300, 300, [](auto x, auto, int) { return x * 255 / 299; }), 16);
  for (std::int64_t x = 1; x < 16; ++x) EXPECT_GT(ramp.pixels[x * 3], ramp.pixels[(x - 1) * 3]);
  // Upscaling a single pixel.
  const Image8 up = ResizeAndCenterCrop(Filled(1, 1, [](auto, auto, int c) { return 7 * c; }), 4);
  EXPECT_EQ(up.pixels.size(), 48u);
  EXPECT_EQ(up.pixels[47], 14);
}

TEST(NormalizeAndQuantize, CheckSizes) {
  const Image8 img = Filled(2, 2, [](auto, auto, int) { return 0; });
  EXPECT_THROW(NormalizeImage(img, InputMean(1), InputStd(3)), InputError);
  EXPECT_THROW(QuantizeImage(std::vector<float>(11, 0.0f), 3, 2, 0.02f), InputError);
  EXPECT_EQ(InputMean(4)[3], kImageNetMean[0]);
}

}  // namespace
}  // namespace intvit::model
