// `intvit quantize`: post-training quantization of a float ViT/DeiT in timm's layout, calibrated
// on real pictures, through the same path as `intvit synth` (model/quant/post_training_quant.h).
// docs/models.md §intvit quantize.
#include <chrono>
#include <iostream>

#include "intvit_version.h"
#include "model/common/parallel_for.h"
#include "model/io/model_file.h"
#include "model/quant/image_folder.h"
#include "model/quant/post_training_quant.h"
#include "model/quant/synthesize.h"
#include "model/quant/timm_checkpoint.h"
#include "tools/command_args.h"
#include "tools/input_image.h"
#include "tools/model_writer.h"
#include "tools/output_dir.h"
#include "tools/progress_bar.h"

namespace intvit::tools {

int RunQuantize(const QuantizeArgs& a) {
  PrepareOutputFile(a.out, "-o");
  const model::FloatCheckpoint ck = model::ReadTimmCheckpoint(a.float_path, a.config);
  const model::ModelConfig& c = ck.vit.config;
  const model::Preprocessing prep = ApplyPreprocessArgs(ck.preprocessing, a.prep);
  const model::ImageFolder folder = model::ListImageFolder(a.calib);
  const std::vector<std::int64_t> picks =
      model::SpreadIndices(static_cast<std::int64_t>(folder.files.size()), a.calib_count);
  const unsigned jobs = ResolveJobs(a.jobs);
  std::cout << "quantize: " << a.float_path << ": image " << c.image_size << ", patch "
            << c.patch_size << ", in_chans " << c.in_channels << ", C " << c.embed_dim
            << ", depth " << c.depth << ", heads " << c.num_heads << " (from " << ck.heads_from
            << "), mlp " << c.mlp_hidden << ", classes " << c.num_classes << "\n"
            << "calibration: " << picks.size() << " of " << folder.files.size()
            << " images in " << a.calib << ", " << ResizeFilterName(prep.filter)
            << " crop_pct " << prep.crop_pct << ", " << jobs << " threads\n";

  model::CalibrationOptions calib;
  calib.images = static_cast<int>(picks.size());
  calib.batch_size = model::kCalibrationBatchSize;
  calib.jobs = jobs;
  calib.forward.gelu = model::GeluForm::kErf;  // timm trains with nn.GELU
  calib.image = [&](int i) {
    return ReadFloatInput(folder.files[static_cast<std::size_t>(picks[static_cast<std::size_t>(i)])],
                          c, ck.vit.input_mean, ck.vit.input_std, prep);
  };
  ProgressBar bar("calibrate", calib.images);
  calib.progress = [&](int done, int) { bar.Set(done); };
  const auto t0 = std::chrono::steady_clock::now();
  model::ModelFile f{c, model::PostTrainingQuantize(ck.vit, calib), {}};
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  model::SetModelPreprocessing(f.params, prep);
  f.provenance["generator"] = kGenerator;
  f.provenance["command"] = "intvit quantize";
  f.provenance["float_checkpoint"] = a.float_path;
  if (!a.config.empty()) f.provenance["config"] = a.config;
  f.provenance["num_heads_from"] = ck.heads_from;
  f.provenance["calibration_folder"] = a.calib;
  f.provenance["calibration_images"] = std::to_string(picks.size());
  WriteModelAndReport(a.out, f, "calibrated", secs);
  return 0;
}

}  // namespace intvit::tools
