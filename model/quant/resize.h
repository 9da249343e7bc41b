// Prepare time: timm's evaluation transform on an 8-bit picture, bit for bit as PIL computes it:
// Resize(floor(size / crop_pct)) of the shorter side with PIL's antialiased bilinear or bicubic
// resampling (its fixed-point arithmetic), then CenterCrop(size). docs/images.md §Preprocessing.
#pragma once

#include <cstdint>
#include <string>

#include "model/graph/model_params.h"
#include "model/quant/image_input.h"

namespace intvit::model {

enum class ResizeFilter { kBilinear, kBicubic };

// How a picture becomes image_size x image_size. Defaults: timm's DeiT/ViT eval transform.
struct Preprocessing {
  bool resize = true;  // false: the picture must already be image_size square (--preprocess none)
  ResizeFilter filter = ResizeFilter::kBicubic;
  double crop_pct = 0.875;  // in (0, 1]; the shorter side is first scaled to floor(size / crop_pct)
};

// "bilinear" / "bicubic" and back; InputError naming `where` for anything else.
ResizeFilter ParseResizeFilter(const std::string& name, const std::string& where);
const char* ResizeFilterName(ResizeFilter f);
// InputError naming `where` unless 0 < crop_pct <= 1.
void CheckCropPct(double crop_pct, const std::string& where);

// Reference keys of the preprocessing a model file stores: "input.crop_pct" [1] and
// "input.interpolation" [1] (0 bilinear, 1 bicubic). A model without them (an `intvit synth` or
// export_ivit file) gets the defaults above.
inline constexpr const char* kCropPctKey = "input.crop_pct";
inline constexpr const char* kInterpolationKey = "input.interpolation";
Preprocessing ModelPreprocessing(const ModelParams& params);
void SetModelPreprocessing(ModelParams& params, const Preprocessing& p);

// PIL's Image.resize(width, height, filter) without a box or reducing_gap: per axis, taps
// precomputed in double (support 1 bilinear, 2 bicubic with a = -0.5, widened by the downscale
// factor), normalized, converted to 22-bit fixed point rounding half away from zero; the
// horizontal pass first, each output sample floor((sum + 2^21) / 2^22) clamped to 0..255.
Image8 ResizePil(const Image8& image, std::int64_t width, std::int64_t height, ResizeFilter filter);

// timm's eval transform: the shorter side becomes s = floor(size / crop_pct) and the longer
// int(s * long / short) (torchvision's Resize(int)), then a centered size x size square is cut
// at offset round((side - size) / 2), ties to even (CenterCrop). Only the cropped part is
// resampled; the pixels equal ResizePil followed by the crop.
Image8 ResizeAndCenterCrop(const Image8& image, std::int64_t size, const Preprocessing& p = {});

}  // namespace intvit::model
