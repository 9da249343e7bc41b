// Prepare time: turning a picture into the model's int8 input. Reads binary PPM (P6), applies
// timm's evaluation transform (resize.h), normalizes with the model's mean and std, and
// quantizes with the model's input scale as I-ViT's qact_input does. docs/images.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

// torchvision's ImageNet normalization, as DeiT and I-ViT use it.
inline constexpr std::array<float, 3> kImageNetMean = {0.485f, 0.456f, 0.406f};
inline constexpr std::array<float, 3> kImageNetStd = {0.229f, 0.224f, 0.225f};
// The mean and std of each of `channels` input channels: ImageNet's, repeated cyclically when
// the model does not have 3 channels.
std::vector<float> InputMean(std::int64_t channels);
std::vector<float> InputStd(std::int64_t channels);

// An 8-bit picture, pixels interleaved as in PPM: [height, width, channels].
struct Image8 {
  std::int64_t width = 0, height = 0, channels = 3;
  std::vector<std::uint8_t> pixels;
};

// Largest width or height accepted from a file.
inline constexpr std::int64_t kMaxPpmSide = 16384;

// Parses a binary PPM: "P6", whitespace, width, height, maxval (each separated by whitespace,
// where a '#' starts a comment running to the end of the line), exactly one whitespace byte,
// then width * height * 3 bytes. A binary PGM ("P5", then width * height bytes) gives a
// 1-channel image. Strict: maxval must be 255; sides in [1, kMaxPpmSide]; no
// missing and no trailing bytes. Throws InputError naming `where` and the problem.
Image8 ParsePpm(std::string_view bytes, const std::string& where);
// Reads and parses a file; InputError if it cannot be read.
Image8 ReadPpmFile(const std::string& path);
// A P6 file with maxval 255 and no comments; image.channels must be 3.
std::string EncodePpm(const Image8& image);

// Computes:   out[c, y, x] = RN32(RN32(RN32(p / 255) - mean[c]) / std[c]) (ToTensor, then
//             Normalize, in float32), CHW.
// Range:      mean.size() == std.size() == image.channels, std > 0; else InputError.
std::vector<float> NormalizeImage(const Image8& image, std::span<const float> mean,
                                  std::span<const float> std);

// Computes:   q = LinearQuantizeHalfEven(x, scale, 8) per value: I-ViT's qact_input.
// Range:      chw.size() == channels * size * size; scale as LinearQuantizeHalfEven.
// Returns an int8 Tensor [channels, size, size].
Tensor QuantizeImage(std::span<const float> chw, std::int64_t channels, std::int64_t size,
                     float scale);

struct Preprocessing;  // resize.h

// The normalized float image the model expects: ResizeAndCenterCrop(image, image_size, prep)
// (resize.h), then NormalizeImage with the model's "input.mean" and "input.std" (reference
// values), or the given mean and std. With prep.resize false the image must already be
// image_size x image_size (else InputError) and is normalized as it is, as I-ViT's reference
// images are.
std::vector<float> PreprocessImage(const Image8& image, const ModelConfig& config,
                                   const ModelParams& params, const Preprocessing& prep);
std::vector<float> PreprocessImage(const Image8& image, const ModelConfig& config,
                                   std::span<const float> mean, std::span<const float> std,
                                   const Preprocessing& prep);
// PreprocessImage, then QuantizeImage with the model's "input.scale". InputError if the model
// lacks those reference values or the image's channels differ from config.in_channels.
Tensor ImageToModelInput(const Image8& image, const ModelConfig& config, const ModelParams& params,
                         const Preprocessing& prep);

}  // namespace intvit::model
