#include "model/quant/image_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>

#include "model/common/error.h"

namespace intvit::model {
namespace {

// A smooth picture with edges: every pixel value differs from its neighbours.
Image8 Picture(std::int64_t w, std::int64_t h, std::int64_t channels) {
  Image8 img;
  img.width = w;
  img.height = h;
  img.channels = channels;
  for (std::int64_t y = 0; y < h; ++y) {
    for (std::int64_t x = 0; x < w; ++x) {
      for (std::int64_t c = 0; c < channels; ++c) {
        img.pixels.push_back(static_cast<std::uint8_t>((x * 7 + y * 3 + c * 85 + x * y) % 256));
      }
    }
  }
  return img;
}

// Flat 8x8 blocks: what a JPEG at quality 100 keeps exactly in grayscale (DC only, step 1).
Image8 Blocks(std::int64_t channels) {
  Image8 img;
  img.width = img.height = 32;
  img.channels = channels;
  for (std::int64_t y = 0; y < 32; ++y) {
    for (std::int64_t x = 0; x < 32; ++x) {
      for (std::int64_t c = 0; c < channels; ++c) {
        img.pixels.push_back(static_cast<std::uint8_t>(40 + 50 * ((x / 8 + y / 8 + c) % 4)));
      }
    }
  }
  return img;
}

std::filesystem::path TempDir() {
  const auto d = std::filesystem::temp_directory_path() /
                 ("intvit_image_file_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

void ExpectError(const std::function<void()>& f, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "no error for " << what;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

std::uint32_t Crc32(std::string_view s) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

TEST(SniffImageFormat, ReadsTheMagicBytesNotTheName) {
  EXPECT_EQ(SniffImageFormat("P6\n1 1\n255\n"), ImageFormat::kPnm);
  EXPECT_EQ(SniffImageFormat("P5\n1 1\n255\n"), ImageFormat::kPnm);
  EXPECT_EQ(SniffImageFormat(EncodePng(Picture(2, 2, 3))), ImageFormat::kPng);
  EXPECT_EQ(SniffImageFormat(EncodeJpeg(Picture(2, 2, 3), 90)), ImageFormat::kJpeg);
  EXPECT_EQ(SniffImageFormat("GIF89a"), ImageFormat::kUnknown);
  ExpectError([] { DecodeImage("GIF89a....", "a.png"); }, "a.png: not a PNG, JPEG");
}

TEST(DecodeImage, PngAndPpmOfOnePictureGiveTheSamePixels) {
  for (std::int64_t ch : {1, 3}) {
    const Image8 img = Picture(37, 23, ch);
    const Image8 png = DecodeImage(EncodePng(img), "x.png");
    EXPECT_EQ(png.width, 37);
    EXPECT_EQ(png.height, 23);
    EXPECT_EQ(png.channels, ch);
    EXPECT_EQ(png.pixels, img.pixels);
  }
  const Image8 rgb = Picture(37, 23, 3);
  EXPECT_EQ(DecodeImage(EncodePpm(rgb), "x.ppm").pixels, rgb.pixels);
  const std::string pgm = "P5\n37 23\n255\n";
  const Image8 gray = Picture(37, 23, 1);
  const Image8 p5 = DecodeImage(pgm + std::string(gray.pixels.begin(), gray.pixels.end()), "g");
  EXPECT_EQ(p5.channels, 1);
  EXPECT_EQ(p5.pixels, gray.pixels);
}

TEST(DecodeImage, GrayscaleJpegOfFlatBlocksAtQuality100IsExact) {
  const Image8 img = Blocks(1);
  const Image8 jpg = DecodeImage(EncodeJpeg(img, 100), "x.jpg");
  EXPECT_EQ(jpg.channels, 1);
  EXPECT_EQ(jpg.pixels, img.pixels);
}

TEST(DecodeImage, ColourJpegAtQuality100IsWithinTheColourConversionsRounding) {
  const Image8 img = Blocks(3);
  const Image8 jpg = DecodeImage(EncodeJpeg(img, 100), "x.jpg");
  ASSERT_EQ(jpg.pixels.size(), img.pixels.size());
  int worst = 0;
  for (std::size_t i = 0; i < img.pixels.size(); ++i) {
    worst = std::max(worst, std::abs(int{jpg.pixels[i]} - int{img.pixels[i]}));
  }
  EXPECT_LE(worst, 2);  // RGB -> YCbCr -> RGB rounds each way
}

TEST(DecodeImage, RefusesTruncatedAndCorruptFiles) {
  const std::string png = EncodePng(Picture(16, 16, 3));
  ExpectError([&] { DecodeImage(png.substr(0, png.size() / 2), "t.png"); }, "t.png: PNG:");
  const std::string jpg = EncodeJpeg(Picture(16, 16, 3), 90);
  ExpectError([&] { DecodeImage(jpg.substr(0, jpg.size() / 2), "t.jpg"); }, "t.jpg: JPEG:");
}

TEST(DecodeImage, RefusesAHugePictureFromItsHeader) {
  std::string png = EncodePng(Picture(1, 1, 3));
  // IHDR data starts at byte 16: width, height (big-endian); its CRC follows the 13 bytes.
  for (int k = 0; k < 2; ++k) {
    png[16 + 4 * k + 2] = 0x27;  // 10000 = 0x2710
    png[16 + 4 * k + 3] = 0x10;
  }
  const std::uint32_t crc = Crc32(std::string_view(png).substr(12, 17));
  for (int b = 0; b < 4; ++b) png[29 + b] = static_cast<char>(crc >> (24 - 8 * b));
  ExpectError([&] { DecodeImage(png, "big.png"); }, "more than");
}

TEST(ToChannels, RepeatsGrayIntoRgb) {
  const Image8 gray = Picture(3, 2, 1);
  const Image8 rgb = ToChannels(gray, 3, "g");
  ASSERT_EQ(rgb.pixels.size(), 18u);
  EXPECT_EQ(rgb.pixels[3], gray.pixels[1]);
  EXPECT_EQ(rgb.pixels[5], gray.pixels[1]);
  ExpectError([&] { ToChannels(Picture(1, 1, 3), 1, "c.png"); }, "c.png: the image has 3");
}

TEST(ReadImageFile, ReadsEveryFormatFromDisk) {
  const auto dir = TempDir();
  const Image8 img = Picture(20, 10, 3);
  std::ofstream(dir / "a.png", std::ios::binary) << EncodePng(img);
  std::ofstream(dir / "a.ppm", std::ios::binary) << EncodePpm(img);
  std::ofstream(dir / "a.jpg.bin", std::ios::binary) << EncodeJpeg(img, 95);
  EXPECT_EQ(ReadImageFile((dir / "a.png").string()).pixels, img.pixels);
  EXPECT_EQ(ReadImageFile((dir / "a.ppm").string()).pixels, img.pixels);
  EXPECT_EQ(ReadImageFile((dir / "a.jpg.bin").string()).width, 20);
  std::filesystem::remove_all(dir);
}

TEST(ReadImageFile, RefusesDevicesDirectoriesAndHugeFilesBeforeReading) {
  const auto dir = TempDir();
  const auto t0 = std::chrono::steady_clock::now();
  ExpectError([] { ReadImageFile("/dev/zero"); },
              "/dev/zero: is a character device; the image must be a regular file");
  ExpectError([&] { ReadImageFile(dir.string()); }, "is a directory");
  ExpectError([&] { ReadImageFile((dir / "missing.png").string()); }, "cannot open");
  {
    std::ofstream(dir / "huge.png", std::ios::binary) << EncodePng(Picture(1, 1, 3));
  }
  std::filesystem::resize_file(dir / "huge.png", 300u << 20);  // sparse: costs no disk
  ExpectError([&] { ReadImageFile((dir / "huge.png").string()); }, "the image may be at most 67108864 bytes");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace intvit::model
