#include "tools/input_image.h"

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/quant/image_file.h"
#include "model/quant/image_input.h"
#include "model/quant/synthetic_image.h"

namespace intvit::tools {

model::Image8 ReadInputPicture(const model::Graph& g, const std::string& path) {
  return model::ToChannels(model::ReadImageFile(path), g.config.in_channels, path);
}

bool HasInputScale(const model::Graph& g) {
  return g.params.reference.count("input.scale") != 0;
}

model::Preprocessing ApplyPreprocessArgs(model::Preprocessing stored, const PreprocessArgs& a) {
  stored.resize = a.preprocess != "none";
  if (!a.resize.empty()) stored.filter = model::ParseResizeFilter(a.resize, "--resize");
  if (a.crop_pct != 0) {
    model::CheckCropPct(a.crop_pct, "--crop-pct");
    stored.crop_pct = a.crop_pct;
  }
  return stored;
}

std::vector<float> ReadFloatInput(const std::string& path, const model::ModelConfig& c,
                                  std::span<const float> mean, std::span<const float> std,
                                  const model::Preprocessing& prep) {
  const model::Image8 img = model::ToChannels(model::ReadImageFile(path), c.in_channels, path);
  try {
    return model::PreprocessImage(img, c, mean, std, prep);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
}

InputImage LoadInputImage(const model::Graph& g, const std::string& ppm_path,
                          std::uint64_t seed, const std::optional<model::Preprocessing>& prep) {
  if (!ppm_path.empty()) {
    Require(HasInputScale(g), "--image " + ppm_path +
                                  ": the model has no input scale (reference value "
                                  "input.scale) to quantize it with; use a model file from "
                                  "`intvit synth`, or a seed");
    return {model::ImageToModelInput(ReadInputPicture(g, ppm_path), g.config, g.params,
                                     prep.value_or(model::ModelPreprocessing(g.params))),
            ppm_path};
  }
  if (HasInputScale(g)) {
    return {model::QuantizedSyntheticImage(g.config, g.params, seed),
            "synthetic image, seed " + std::to_string(seed)};
  }
  return {model::RandomImage(g.config, seed), "random int8 image, seed " + std::to_string(seed)};
}

}  // namespace intvit::tools
