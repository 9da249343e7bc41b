// Prepare time: post-training calibration of the activation ranges, the way I-ViT's QuantAct
// tracks them (quant_modules.py, QuantAct.forward with running_stat). docs/synth.md §Calibration.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/quant/float_forward.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

// QuantAct's min_val / max_val after calibration.
struct ActivationRange {
  float min = 0.0f;
  float max = 0.0f;
};
// Keyed by ActivationPoint::name (QuantAct points and probes alike).
using ActivationRanges = std::map<std::string, ActivationRange>;

// I-ViT's act_range_momentum.
inline constexpr double kActRangeMomentum = 0.95;

// Computes:   one step of QuantAct's running range, given the min and max of one batch:
//             if running.min == running.max (the initial zeros, or a constant tensor so far):
//               running = batch
//             else, in float32 with m = RN32(momentum) and r = RN32(1 - momentum):
//               running.min = RN32(RN32(running.min * m) + RN32(batch.min * r)), same for max.
//             QuantAct keeps per-channel batch extremes, blends them with the scalar running
//             value and reduces with min()/max(); rounding is monotonic, so that equals
//             blending the batch's overall extremes, as here.
// Range:      finite values; momentum in [0, 1].
void UpdateRunningRange(ActivationRange& running, ActivationRange batch, double momentum);

struct CalibrationOptions {
  int images = 8;          // calibration images
  int batch_size = 4;      // images per QuantAct update; the last batch may be smaller
  std::uint64_t seed = 0;  // the calibration stream of synthetic images
  double momentum = kActRangeMomentum;
  FloatForwardOptions forward;
  // The normalized image [Cin, H, W] of calibration image i (called from worker threads).
  // Unset: SyntheticImage(config, DeriveSeed(seed, 100 + i)), what `intvit synth` uses.
  std::function<std::vector<float>(int)> image;
  unsigned jobs = 1;  // threads running images; 0 is every core. The result does not depend on it.
  // Called after each image with (images done, images in all), one call at a time; optional.
  std::function<void(int, int)> progress;
};

// Runs the float model on the calibration images and returns the running range of every
// ActivationPoint, updated once per batch of batch_size images (the batch's min and max over all
// its images, tokens and channels), as QuantAct does during I-ViT's training loop. Images run in
// parallel, each recording its own extremes; the batches are folded in image order afterwards
// (min and max are exact), so every `jobs` gives the same ranges.
// Throws InputError if images < 1 or batch_size < 1, or what `image` throws (the lowest index).
ActivationRanges Calibrate(const FloatVit& vit, const CalibrationOptions& options);

}  // namespace intvit::model
