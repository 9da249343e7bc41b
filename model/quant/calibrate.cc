#include "model/quant/calibrate.h"

#include <algorithm>
#include <limits>
#include <mutex>

#include "model/common/parallel_for.h"
#include "model/common/error.h"
#include "model/quant/seeded_random.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {

void UpdateRunningRange(ActivationRange& running, ActivationRange batch, double momentum) {
  if (running.min == running.max) {
    running = batch;
    return;
  }
  const auto m = static_cast<float>(momentum);        // a Python float times a float32 tensor
  const auto r = static_cast<float>(1.0 - momentum);  // (1 - momentum) is formed in double
  running.min = running.min * m + batch.min * r;
  running.max = running.max * m + batch.max * r;
}

ActivationRanges Calibrate(const FloatVit& vit, const CalibrationOptions& options) {
  Require(options.images >= 1 && options.batch_size >= 1,
          "calibration needs at least one image and a batch size of at least one");
  // Each image's own extremes per point, filled in parallel.
  std::vector<ActivationRanges> per_image(static_cast<std::size_t>(options.images));
  std::mutex progress_mutex;
  int done = 0;
  ParallelFor(options.images, options.jobs, [&](std::int64_t i) {
    ActivationRanges& mine = per_image[static_cast<std::size_t>(i)];
    const ActivationObserver observe = [&](std::string_view point, std::span<const float> x) {
      auto [it, fresh] = mine.try_emplace(std::string(point));
      ActivationRange& r = it->second;
      const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
      if (fresh) {
        r = {*lo, *hi};
      } else {
        r.min = std::min(r.min, *lo);
        r.max = std::max(r.max, *hi);
      }
    };
    const std::vector<float> image =
        options.image ? options.image(static_cast<int>(i))
                      : SyntheticImage(vit.config,
                                       DeriveSeed(options.seed, 100 + static_cast<std::uint64_t>(i)));
    FloatForward(vit, image, observe, options.forward);
    if (options.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      options.progress(++done, options.images);
    }
  });
  ActivationRanges running;
  for (int first = 0; first < options.images; first += options.batch_size) {
    ActivationRanges batch;
    const int last = std::min(options.images, first + options.batch_size);
    for (int i = first; i < last; ++i) {
      for (const auto& [name, r] : per_image[static_cast<std::size_t>(i)]) {
        auto [it, fresh] = batch.try_emplace(name, r);
        if (!fresh) {
          it->second.min = std::min(it->second.min, r.min);
          it->second.max = std::max(it->second.max, r.max);
        }
      }
    }
    for (const auto& [name, r] : batch) UpdateRunningRange(running[name], r, options.momentum);
  }
  return running;
}

}  // namespace intvit::model
