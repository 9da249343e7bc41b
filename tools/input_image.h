// The int8 input image of a CLI run. Every subcommand that runs a model (run, vectors, exec,
// sim) takes it from here, so the same --image or seed means the same pixels everywhere:
//   - `ppm_path` given: that binary PPM, resized and normalized as DeiT, then quantized with
//     the model's input scale (InputError when the model has none, e.g. random:<preset>);
//   - else, a model with an input scale (`intvit synth` files): the synthetic image of `seed`,
//     quantized with that scale;
//   - else: a random int8 image of `seed`.
#pragma once

#include <cstdint>
#include <string>

#include "model/graph/graph.h"
#include "model/quant/image_input.h"
#include "model/tensor/tensor.h"

namespace intvit::tools {

struct InputImage {
  model::Tensor tensor;  // int8 [in_channels, image_size, image_size]
  std::string what;      // "synthetic image, seed 1", or the file name
};

// `resize` false: the file must already be image_size x image_size and is used as it is (no
// DeiT resize and crop), as I-ViT's reference feeds its images (`--preprocess none`).
InputImage LoadInputImage(const model::Graph& g, const std::string& ppm_path, std::uint64_t seed,
                          bool resize = true);

// The picture file at `path` (PNG, JPEG, PPM or PGM, by its magic bytes; docs/images.md), with
// grayscale repeated into the model's 3 channels.
model::Image8 ReadInputPicture(const model::Graph& g, const std::string& path);

// True when the model carries the input scale a PPM or synthetic image needs.
bool HasInputScale(const model::Graph& g);

inline constexpr const char* kImageArgHelp =
    "image file: PNG, JPEG, binary PPM (P6) or PGM (P5), resized and normalized as DeiT "
    "(needs a model with an input scale, such as an `intvit synth` file)";

inline constexpr const char* kPreprocessArgHelp =
    "how --image becomes the model's input: deit (resize the shorter side to size/0.875, "
    "center crop) or none (the image is already image_size square; used as it is)";

}  // namespace intvit::tools
