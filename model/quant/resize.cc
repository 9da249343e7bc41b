#include "model/quant/resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/common/error.h"

namespace intvit::model {
namespace {

constexpr int kPrecisionBits = 22;  // PIL's 32 - 8 - 2

double Bilinear(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double Bicubic(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

// PIL's precompute_coeffs and normalize_coeffs_8bpc for one axis.
struct Taps {
  std::vector<std::int64_t> first;
  std::vector<std::vector<std::int32_t>> k;
};

Taps MakeTaps(std::int64_t in, std::int64_t out, ResizeFilter filter) {
  const double support0 = filter == ResizeFilter::kBicubic ? 2.0 : 1.0;
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  const double filterscale = std::max(1.0, scale);
  const double support = support0 * filterscale;
  const double ss = 1.0 / filterscale;
  Taps t;
  for (std::int64_t o = 0; o < out; ++o) {
    const double center = (static_cast<double>(o) + 0.5) * scale;
    const auto lo = std::max<std::int64_t>(0, static_cast<std::int64_t>(center - support + 0.5));
    const auto hi = std::min<std::int64_t>(in, static_cast<std::int64_t>(center + support + 0.5));
    std::vector<double> w;
    double sum = 0.0;
    for (std::int64_t i = lo; i < hi; ++i) {
      const double x = (static_cast<double>(i) - center + 0.5) * ss;
      w.push_back(filter == ResizeFilter::kBicubic ? Bicubic(x) : Bilinear(x));
      sum += w.back();
    }
    std::vector<std::int32_t> k;
    for (double x : w) {
      if (sum != 0.0) x /= sum;
      const double f = x * static_cast<double>(1 << kPrecisionBits);
      k.push_back(static_cast<std::int32_t>(x < 0 ? -0.5 + f : 0.5 + f));
    }
    t.first.push_back(lo);
    t.k.push_back(std::move(k));
  }
  return t;
}

std::uint8_t Clip8(std::int64_t ss) {
  return static_cast<std::uint8_t>(std::clamp<std::int64_t>(ss >> kPrecisionBits, 0, 255));
}

// Resamples the window [x0, x0 + cols) x [y0, y0 + rows) of the image resized to out_w x out_h.
Image8 ResampleWindow(const Image8& img, std::int64_t out_w, std::int64_t out_h, std::int64_t x0,
                      std::int64_t y0, std::int64_t cols, std::int64_t rows, ResizeFilter filter) {
  const std::int64_t w = img.width, h = img.height, ch = img.channels;
  const Taps tx = MakeTaps(w, out_w, filter), ty = MakeTaps(h, out_h, filter);
  constexpr std::int64_t kHalf = std::int64_t{1} << (kPrecisionBits - 1);
  // Horizontal pass (skipped by PIL when the width does not change; the taps are then the
  // identity, so computing it changes nothing).
  std::vector<std::uint8_t> mid(static_cast<std::size_t>(h * cols * ch));
  for (std::int64_t y = 0; y < h; ++y) {
    for (std::int64_t x = 0; x < cols; ++x) {
      const auto& k = tx.k[x0 + x];
      const std::int64_t f = tx.first[x0 + x];
      for (std::int64_t c = 0; c < ch; ++c) {
        std::int64_t ss = kHalf;
        for (std::size_t j = 0; j < k.size(); ++j) {
          ss += std::int64_t{img.pixels[(y * w + f + static_cast<std::int64_t>(j)) * ch + c]} * k[j];
        }
        mid[(y * cols + x) * ch + c] = Clip8(ss);
      }
    }
  }
  Image8 out;
  out.width = cols, out.height = rows, out.channels = ch;
  out.pixels.resize(static_cast<std::size_t>(rows * cols * ch));
  for (std::int64_t y = 0; y < rows; ++y) {
    const auto& k = ty.k[y0 + y];
    const std::int64_t f = ty.first[y0 + y];
    for (std::int64_t i = 0; i < cols * ch; ++i) {
      std::int64_t ss = kHalf;
      for (std::size_t j = 0; j < k.size(); ++j) {
        ss += std::int64_t{mid[(f + static_cast<std::int64_t>(j)) * cols * ch + i]} * k[j];
      }
      out.pixels[y * cols * ch + i] = Clip8(ss);
    }
  }
  return out;
}

// Python's int(round(d / 2.0)) for d >= 0: halves go to the even neighbour.
std::int64_t HalfEvenHalf(std::int64_t d) {
  const std::int64_t k = d / 2;
  return (d % 2 == 1 && k % 2 == 1) ? k + 1 : k;
}

}  // namespace

ResizeFilter ParseResizeFilter(const std::string& name, const std::string& where) {
  if (name == "bilinear") return ResizeFilter::kBilinear;
  if (name == "bicubic") return ResizeFilter::kBicubic;
  throw InputError(where + ": interpolation '" + name + "' is not supported (bilinear or bicubic)");
}

const char* ResizeFilterName(ResizeFilter f) {
  return f == ResizeFilter::kBicubic ? "bicubic" : "bilinear";
}

void CheckCropPct(double crop_pct, const std::string& where) {
  Require(std::isfinite(crop_pct) && crop_pct > 0.0 && crop_pct <= 1.0,
          where + ": crop_pct must be in (0, 1]");
}

Preprocessing ModelPreprocessing(const ModelParams& params) {
  Preprocessing p;
  const auto crop = params.reference.find(kCropPctKey);
  if (crop != params.reference.end() && crop->second.size() == 1) {
    CheckCropPct(crop->second[0], std::string("reference.") + kCropPctKey);
    p.crop_pct = crop->second[0];
  }
  const auto interp = params.reference.find(kInterpolationKey);
  if (interp != params.reference.end() && interp->second.size() == 1) {
    const float v = interp->second[0];
    Require(v == 0.0f || v == 1.0f,
            std::string("reference.") + kInterpolationKey + ": must be 0 (bilinear) or 1 (bicubic)");
    p.filter = v == 1.0f ? ResizeFilter::kBicubic : ResizeFilter::kBilinear;
  }
  return p;
}

void SetModelPreprocessing(ModelParams& params, const Preprocessing& p) {
  params.reference[kCropPctKey] = {static_cast<float>(p.crop_pct)};
  params.reference[kInterpolationKey] = {p.filter == ResizeFilter::kBicubic ? 1.0f : 0.0f};
}

Image8 ResizePil(const Image8& image, std::int64_t width, std::int64_t height, ResizeFilter filter) {
  Require(width >= 1 && height >= 1, "resize: the target size must be positive");
  return ResampleWindow(image, width, height, 0, 0, width, height, filter);
}

Image8 ResizeAndCenterCrop(const Image8& image, std::int64_t size, const Preprocessing& p) {
  Require(size >= 1, "resize: the target size must be positive");
  CheckCropPct(p.crop_pct, "resize");
  const std::int64_t w = image.width, h = image.height;
  // Python's math.floor(size / crop_pct), in double as Python computes it.
  const auto shorter = static_cast<std::int64_t>(
      std::floor(static_cast<double>(size) / p.crop_pct));
  // torchvision: int(new_short * long / short), a double division truncated.
  const auto longer = [&](std::int64_t l, std::int64_t s) {
    return static_cast<std::int64_t>(static_cast<double>(shorter * l) / static_cast<double>(s));
  };
  const std::int64_t rw = w <= h ? shorter : longer(w, h);
  const std::int64_t rh = w <= h ? longer(h, w) : shorter;
  Require(rw >= size && rh >= size, "resize: the resized picture is smaller than the crop");
  return ResampleWindow(image, rw, rh, HalfEvenHalf(rw - size), HalfEvenHalf(rh - size), size,
                        size, p.filter);
}

}  // namespace intvit::model
