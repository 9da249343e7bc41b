// Prepare time: the one quantization path of every float ViT intvit makes a model from, seeded
// (`intvit synth`) or read from a checkpoint (`intvit quantize`): calibrate the activation
// ranges on images, quantize as I-ViT does, check the result. docs/models.md.
#pragma once

#include "model/graph/model_params.h"
#include "model/quant/calibrate.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

// Computes:   QuantizeVit(vit, Calibrate(vit, calib)), checked with BuildVitGraph (InputError
//             naming the parameter). Deterministic: the same vit and images give the same
//             params whatever calib.jobs is.
ModelParams PostTrainingQuantize(const FloatVit& vit, const CalibrationOptions& calib);

}  // namespace intvit::model
