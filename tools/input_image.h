// The int8 input image of a CLI run. Every subcommand that runs a model (run, vectors, exec,
// sim) takes it from here, so the same --image or seed means the same pixels everywhere:
//   - `ppm_path` given: that binary PPM, resized and normalized as DeiT, then quantized with
//     the model's input scale (InputError when the model has none, e.g. random:<preset>);
//   - else, a model with an input scale (`intvit synth` files): the synthetic image of `seed`,
//     quantized with that scale;
//   - else: a random int8 image of `seed`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/graph/graph.h"
#include "model/quant/image_input.h"
#include "model/quant/resize.h"
#include "model/tensor/tensor.h"
#include "tools/command_args.h"

namespace intvit::tools {

struct InputImage {
  model::Tensor tensor;  // int8 [in_channels, image_size, image_size]
  std::string what;      // "synthetic image, seed 1", or the file name
};

// `prep` (default: the model's stored preprocessing, ModelPreprocessing) says how a file becomes
// image_size square; prep.resize false uses it as it is, as I-ViT's reference feeds its images
// (`--preprocess none`).
InputImage LoadInputImage(const model::Graph& g, const std::string& ppm_path, std::uint64_t seed,
                          const std::optional<model::Preprocessing>& prep = {});

// `stored` with the options applied; InputError for a crop_pct outside (0, 1].
model::Preprocessing ApplyPreprocessArgs(model::Preprocessing stored, const PreprocessArgs& a);

// The picture file at `path`, preprocessed and normalized with mean and std: the float input
// [Cin, H, W] both the float model and (after QuantizeImage) the integer model start from.
std::vector<float> ReadFloatInput(const std::string& path, const model::ModelConfig& c,
                                  std::span<const float> mean, std::span<const float> std,
                                  const model::Preprocessing& prep);

// The picture file at `path` (PNG, JPEG, PPM or PGM, by its magic bytes; docs/images.md), with
// grayscale repeated into the model's 3 channels.
model::Image8 ReadInputPicture(const model::Graph& g, const std::string& path);

// True when the model carries the input scale a PPM or synthetic image needs.
bool HasInputScale(const model::Graph& g);

inline constexpr const char* kImageArgHelp =
    "image file: PNG, JPEG, binary PPM (P6) or PGM (P5), resized and normalized as DeiT "
    "(needs a model with an input scale, such as an `intvit synth` file)";

inline constexpr const char* kPreprocessArgHelp =
    "how --image becomes the model's input: deit (timm's eval transform: resize the shorter "
    "side to size/crop_pct, center crop) or none (the image is already image_size square; used "
    "as it is)";
inline constexpr const char* kResizeArgHelp =
    "resampling of the resize: bicubic or bilinear (PIL's; default: what the model file stores, "
    "else bicubic)";
inline constexpr const char* kCropPctArgHelp =
    "crop fraction in (0, 1]: the shorter side is resized to floor(size / crop_pct) before the "
    "center crop (default: what the model file stores, else 0.875)";

}  // namespace intvit::tools
