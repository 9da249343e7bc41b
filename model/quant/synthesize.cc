#include "model/quant/synthesize.h"

#include "model/graph/vit_builder.h"
#include "model/quant/quantize_vit.h"

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
  const FloatVit vit = MakeSyntheticVit(config, seed);
  CalibrationOptions calib = SynthesisCalibrationOptions(seed, calib_images);
  calib.progress = progress;
  ModelParams params = QuantizeVit(vit, Calibrate(vit, calib));
  BuildVitGraph(config, params);  // validates every parameter; throws InputError naming it
  return params;
}

}  // namespace intvit::model
