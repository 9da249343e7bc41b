#include "model/quant/synthesize.h"

#include "model/quant/post_training_quant.h"

namespace intvit::model {

CalibrationOptions SynthesisCalibrationOptions(std::uint64_t seed, int calib_images) {
  CalibrationOptions o;
  o.images = calib_images;
  o.batch_size = kCalibrationBatchSize;
  o.seed = seed;
  return o;
}

ModelParams SynthesizeModel(const ModelConfig& config, std::uint64_t seed, int calib_images,
                            const std::function<void(int, int)>& progress) {
  CalibrationOptions calib = SynthesisCalibrationOptions(seed, calib_images);
  calib.progress = progress;
  return PostTrainingQuantize(MakeSyntheticVit(config, seed), calib);
}

}  // namespace intvit::model
