#include "model/quant/image_input.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "model/common/error.h"
#include "model/common/user_file.h"
#include "model/quant/resize.h"
#include "model/quant/symmetric_quant.h"

namespace intvit::model {
namespace {

bool IsPpmSpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

// Reads the header fields of a PPM one at a time.
class PpmHeader {
 public:
  PpmHeader(std::string_view bytes, const std::string& where) : b_(bytes), where_(where) {}

  [[noreturn]] void Fail(const std::string& what) const { throw InputError(where_ + ": " + what); }

  // Skips whitespace and comments; at least one whitespace byte or comment must be there.
  void SkipSeparator(const char* before) {
    const std::size_t start = pos_;
    while (pos_ < b_.size()) {
      if (IsPpmSpace(b_[pos_])) {
        ++pos_;
      } else if (b_[pos_] == '#') {
        while (pos_ < b_.size() && b_[pos_] != '\n' && b_[pos_] != '\r') ++pos_;
      } else {
        break;
      }
    }
    if (pos_ == b_.size()) Fail(std::string("the header ends before the ") + before);
    if (pos_ == start) Fail(std::string("expected whitespace before the ") + before);
  }

  std::int64_t Number(const char* name, std::int64_t lo, std::int64_t hi) {
    SkipSeparator(name);
    std::int64_t v = 0;
    const std::size_t start = pos_;
    while (pos_ < b_.size() && b_[pos_] >= '0' && b_[pos_] <= '9') {
      v = v * 10 + (b_[pos_++] - '0');
      if (v > hi) Fail(std::string("the ") + name + " exceeds " + std::to_string(hi));
    }
    if (pos_ == start) Fail(std::string("the ") + name + " is not a decimal number");
    if (v < lo)
      Fail(std::string("the ") + name + " is " + std::to_string(v) + "; minimum " +
           std::to_string(lo));
    return v;
  }

  std::size_t pos_ = 0;

 private:
  std::string_view b_;
  const std::string& where_;
};

const std::vector<float>& Reference(const ModelParams& p, const std::string& key,
                                    std::int64_t channels) {
  const auto size = static_cast<std::size_t>(channels);
  const auto it = p.reference.find(key);
  Require(it != p.reference.end() && it->second.size() == size,
          "the model has no reference value '" + key + "' with " + std::to_string(size) +
              " entries; it cannot turn an image into its input");
  return it->second;
}

}  // namespace

std::vector<float> InputMean(std::int64_t channels) {
  std::vector<float> v;
  for (std::int64_t c = 0; c < channels; ++c) v.push_back(kImageNetMean[c % 3]);
  return v;
}

std::vector<float> InputStd(std::int64_t channels) {
  std::vector<float> v;
  for (std::int64_t c = 0; c < channels; ++c) v.push_back(kImageNetStd[c % 3]);
  return v;
}

Image8 ParsePpm(std::string_view bytes, const std::string& where) {
  PpmHeader h(bytes, where);
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '6' && bytes[1] != '5')) {
    h.Fail("not a binary PPM or PGM (the file must start with \"P6\" or \"P5\")");
  }
  h.pos_ = 2;
  Image8 img;
  img.channels = bytes[1] == '5' ? 1 : 3;  // P5: grayscale
  img.width = h.Number("width", 1, kMaxPpmSide);
  img.height = h.Number("height", 1, kMaxPpmSide);
  const std::int64_t maxval = h.Number("maxval", 1, 65535);
  if (maxval != 255) h.Fail("maxval is " + std::to_string(maxval) + "; only 255 is supported");
  if (h.pos_ >= bytes.size() || !IsPpmSpace(bytes[h.pos_])) {
    h.Fail("expected one whitespace byte after maxval");
  }
  const std::size_t start = h.pos_ + 1;
  const auto need = static_cast<std::size_t>(img.width * img.height * img.channels);
  const std::size_t have = bytes.size() - start;
  if (have < need) {
    h.Fail("truncated: " + std::to_string(have) + " bytes of pixel data; " +
           std::to_string(img.width) + "x" + std::to_string(img.height) + " needs " +
           std::to_string(need));
  }
  if (have > need) {
    h.Fail(std::to_string(have - need) + " bytes after the pixel data (one image per file)");
  }
  img.pixels.assign(bytes.begin() + static_cast<std::ptrdiff_t>(start), bytes.end());
  return img;
}

Image8 ReadPpmFile(const std::string& path) {
  // The largest image the parser accepts, plus room for a header with comments.
  constexpr std::uint64_t kMaxBytes =
      3 * static_cast<std::uint64_t>(kMaxPpmSide) * static_cast<std::uint64_t>(kMaxPpmSide) + 4096;
  const UniqueFile f = OpenUserFile(path, kMaxBytes, "image");
  // The magic first, so that a large file of anything else is refused before it is read.
  std::string bytes(2, '\0');
  bytes.resize(std::fread(bytes.data(), 1, 2, f.get()));
  if (bytes != "P6") ParsePpm(bytes, path);  // throws its "not a binary PPM" message
  char buf[1 << 16];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, f.get())) {
    bytes.append(buf, n);
    Require(bytes.size() <= kMaxBytes, path + ": grew past " + std::to_string(kMaxBytes) +
                                           " bytes while being read (the limit for the image)");
  }
  Require(!std::ferror(f.get()), path + ": read error");
  return ParsePpm(bytes, path);
}

std::string EncodePpm(const Image8& image) {
  Require(image.channels == 3,
          "a PPM holds 3 channels; the image has " + std::to_string(image.channels));
  std::string s =
      "P6\n" + std::to_string(image.width) + " " + std::to_string(image.height) + "\n255\n";
  s.append(image.pixels.begin(), image.pixels.end());
  return s;
}

std::vector<float> NormalizeImage(const Image8& image, std::span<const float> mean,
                                  std::span<const float> std) {
  const std::int64_t ch = image.channels, n = image.width * image.height;
  Require(
      static_cast<std::int64_t>(mean.size()) == ch && static_cast<std::int64_t>(std.size()) == ch,
      "normalize: " + std::to_string(mean.size()) + " means and " + std::to_string(std.size()) +
          " stds for " + std::to_string(ch) + " channels");
  for (const float s : std)
    Require(std::isfinite(s) && s > 0.0f, "normalize: std must be positive");
  std::vector<float> out(static_cast<std::size_t>(ch * n));
  for (std::int64_t c = 0; c < ch; ++c) {
    for (std::int64_t i = 0; i < n; ++i) {
      const float x = static_cast<float>(image.pixels[i * ch + c]) / 255.0f;
      out[c * n + i] = (x - mean[c]) / std[c];
    }
  }
  return out;
}

Tensor QuantizeImage(std::span<const float> chw, std::int64_t channels, std::int64_t size,
                     float scale) {
  Require(static_cast<std::int64_t>(chw.size()) == channels * size * size,
          "quantize image: " + std::to_string(chw.size()) + " values for [" +
              std::to_string(channels) + ", " + std::to_string(size) + ", " + std::to_string(size) +
              "]");
  Tensor t(DType::kInt8, {channels, size, size});
  auto q = t.Span<std::int8_t>();
  for (std::size_t i = 0; i < chw.size(); ++i) {
    q[i] = static_cast<std::int8_t>(LinearQuantizeHalfEven(chw[i], scale, 8));
  }
  return t;
}

std::vector<float> PreprocessImage(const Image8& image, const ModelConfig& config,
                                   const ModelParams& params, const Preprocessing& prep) {
  return PreprocessImage(image, config, Reference(params, "input.mean", config.in_channels),
                         Reference(params, "input.std", config.in_channels), prep);
}

std::vector<float> PreprocessImage(const Image8& image, const ModelConfig& config,
                                   std::span<const float> mean, std::span<const float> std,
                                   const Preprocessing& prep) {
  Require(image.channels == config.in_channels, "the image has " + std::to_string(image.channels) +
                                                    " channels; the model takes " +
                                                    std::to_string(config.in_channels));
  if (!prep.resize) {
    Require(image.width == config.image_size && image.height == config.image_size,
            "the image is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                "; without resizing the model takes " + std::to_string(config.image_size) + "x" +
                std::to_string(config.image_size));
    return NormalizeImage(image, mean, std);
  }
  return NormalizeImage(ResizeAndCenterCrop(image, config.image_size, prep), mean, std);
}

Tensor ImageToModelInput(const Image8& image, const ModelConfig& config,
                         const ModelParams& params, const Preprocessing& prep) {
  const std::vector<float> x = PreprocessImage(image, config, params, prep);
  return QuantizeImage(x, config.in_channels, config.image_size,
                       Reference(params, "input.scale", 1)[0]);
}

}  // namespace intvit::model
