// Prepare time: `intvit synth`, a realistic quantized ViT without any download. Builds the
// seeded float ViT, calibrates it on seeded synthetic images and quantizes it.
// docs/synth.md.
#pragma once

#include <cstdint>
#include <functional>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/quant/calibrate.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

inline constexpr int kDefaultCalibrationImages = 8;
inline constexpr int kCalibrationBatchSize = 4;

// The calibration options SynthesizeModel uses for (seed, images).
CalibrationOptions SynthesisCalibrationOptions(std::uint64_t seed, int calib_images);

// Computes:   PostTrainingQuantize(vit, SynthesisCalibrationOptions(seed, calib_images)) with
//             vit = MakeSyntheticVit(config, seed): random float weights, then the path
//             `intvit quantize` takes. The same (config, seed, calib_images) gives identical
//             params.
// Range:      a valid config, calib_images >= 1; else InputError.
// `progress`, if set, is called after each calibration image with (done, total).
ModelParams SynthesizeModel(const ModelConfig& config, std::uint64_t seed,
                            int calib_images = kDefaultCalibrationImages,
                            const std::function<void(int, int)>& progress = {});

}  // namespace intvit::model
