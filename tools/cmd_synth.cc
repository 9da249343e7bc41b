// `intvit synth`: makes a realistic quantized ViT without any download (docs/synth.md) and
// writes it as a model file (docs/model-format.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>

#include "intvit_version.h"
#include "model/common/error.h"
#include "model/graph/vit_builder.h"
#include "model/io/model_file.h"
#include "model/quant/synthesize.h"
#include "model/quant/timm_checkpoint.h"
#include "tools/command_args.h"
#include "tools/model_writer.h"
#include "tools/output_dir.h"

namespace intvit::tools {
namespace {

// On a terminal: "synth: calibration image 5/32 (16 %), 2.1 s, about 11 s left", rewritten in
// place; nothing when stderr is a file or a pipe, or with -q.
std::function<void(int, int)> CalibrationProgress(bool quiet) {
  if (quiet || !isatty(STDERR_FILENO)) return {};
  const auto t0 = std::chrono::steady_clock::now();
  return [t0](int done, int total) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double left = done > 0 ? s * (total - done) / done : 0.0;
    std::fprintf(stderr, "\rsynth: calibration image %d/%d (%d %%), %.1f s, about %.0f s left   ",
                 done, total, 100 * done / total, s, left);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };
}

}  // namespace

int RunSynth(const SynthArgs& a) {
  PrepareOutputFile(a.out, "-o");
  if (!a.save_float.empty()) PrepareOutputFile(a.save_float, "--save-float");
  model::ModelConfig c = model::ModelPreset(a.arch);
  for (const auto& o : a.overrides) ApplyConfigOverride(c, model::ModelConfigFields(), o);
  // Through the reader's own checks, so synth never writes a config that a read refuses.
  c = model::ParseModelConfig(model::ModelConfigToJson(c), "model config");
  std::cerr << "synth: " << a.arch << " (C " << c.embed_dim << ", depth " << c.depth
            << ", heads " << c.num_heads << ", " << c.tokens() << " tokens), seed " << a.seed
            << ", " << a.calib_images << " calibration images ...\n";
  const auto t0 = std::chrono::steady_clock::now();
  model::ModelFile f{c, model::SynthesizeModel(c, a.seed, a.calib_images, CalibrationProgress(a.quiet)), {}};
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.provenance["generator"] = kGenerator;
  f.provenance["command"] = "intvit synth --preset " + a.arch + " --seed " + std::to_string(a.seed);
  f.provenance["seed"] = std::to_string(a.seed);
  f.provenance["calibration_images"] = std::to_string(a.calib_images);
  WriteModelAndReport(a.out, f, "synthesized", secs);
  if (!a.save_float.empty()) {
    model::WriteSafetensors(a.save_float,
                            model::TimmCheckpointFile(model::MakeSyntheticVit(c, a.seed), {}));
    std::cout << "wrote " << a.save_float << ": the float ViT in timm's layout\n";
  }
  return 0;
}

}  // namespace intvit::tools
