#include "model/quant/post_training_quant.h"

#include "model/graph/vit_builder.h"
#include "model/quant/quantize_vit.h"

namespace intvit::model {

ModelParams PostTrainingQuantize(const FloatVit& vit, const CalibrationOptions& calib) {
  ModelParams params = QuantizeVit(vit, Calibrate(vit, calib));
  BuildVitGraph(vit.config, params);  // validates every parameter; throws InputError naming it
  return params;
}

}  // namespace intvit::model
