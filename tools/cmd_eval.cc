// `intvit eval`: top-1 and top-5 accuracy of the integer model on a labelled ImageFolder, and with
// --float the float checkpoint's accuracy on the same pictures and the agreement between the two.
// Images run in parallel threads, each writing only its own result; the sums are taken in image
// order afterwards, so every --jobs gives the same eval.json. docs/models.md §intvit eval.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/common/parallel_for.h"
#include "model/exec/run_reference.h"
#include "model/quant/float_forward.h"
#include "model/quant/image_folder.h"
#include "model/quant/timm_checkpoint.h"
#include "tools/command_args.h"
#include "tools/input_image.h"
#include "tools/logit_ranking.h"
#include "tools/model_source.h"
#include "tools/output_dir.h"
#include "tools/progress_bar.h"

namespace intvit::tools {
namespace {

constexpr std::size_t kTopK = 5;

struct ImageResult {
  std::int64_t int_top1 = -1, float_top1 = -1;
  bool int_top5 = false, float_top5 = false;
};

bool InTop(const std::vector<std::int64_t>& top, std::int64_t label) {
  return std::find(top.begin(), top.end(), label) != top.end();
}

double Percent(std::int64_t n, std::int64_t d) {
  return 100.0 * static_cast<double>(n) / static_cast<double>(d);
}

// Percentages are rounded to 1e-4, so eval.json is the same bytes on every machine.
double Rounded(double x) { return std::round(x * 1e4) / 1e4; }

std::string DefaultOut(const std::string& model) {
  return "out/eval_" + std::filesystem::path(model).stem().string();
}

}  // namespace

int RunEval(const EvalArgs& a) {
  const std::string out = a.out.empty() ? DefaultOut(a.model) : a.out;
  PrepareOutputDir(out, "--out");
  const LoadedModel m = LoadModelArg(a.model);
  const model::Graph& g = m.graph;
  const model::ModelConfig& c = g.config;
  Require(HasInputScale(g), m.name + ": eval needs a model with an input scale (a file from "
                                     "`intvit quantize`, `intvit synth` or export_ivit.py)");
  const model::Preprocessing prep = ApplyPreprocessArgs(model::ModelPreprocessing(g.params), a.prep);
  const std::vector<float>& mean = g.params.reference.at("input.mean");
  const std::vector<float>& stdv = g.params.reference.at("input.std");
  std::optional<model::FloatCheckpoint> fl;
  if (!a.float_path.empty()) {
    fl = model::ReadTimmCheckpoint(a.float_path, a.config);
    const model::ModelConfig& fc = fl->vit.config;
    Require(fc.image_size == c.image_size && fc.in_channels == c.in_channels &&
                fc.num_classes == c.num_classes,
            a.float_path + ": the float model (image " + std::to_string(fc.image_size) +
                ", classes " + std::to_string(fc.num_classes) + ") does not match " + m.name +
                " (image " + std::to_string(c.image_size) + ", classes " +
                std::to_string(c.num_classes) + ")");
  }
  const model::ImageFolder folder = model::ListImageFolder(a.data);
  Require(folder.labelled(), a.data + ": not an ImageFolder (root/<class>/<image>); eval needs labels");
  Require(static_cast<std::int64_t>(folder.classes.size()) <= c.num_classes,
          a.data + ": " + std::to_string(folder.classes.size()) + " class folders, but " + m.name +
              " has " + std::to_string(c.num_classes) + " classes");
  const std::int64_t total = static_cast<std::int64_t>(folder.files.size());
  const std::vector<std::int64_t> picks =
      model::SpreadIndices(total, a.limit > 0 ? a.limit : total);
  const auto n = static_cast<std::int64_t>(picks.size());
  const unsigned jobs = ResolveJobs(a.jobs);
  std::cout << "eval: " << m.name << " on " << n << " of " << total << " images in " << a.data
            << " (" << folder.classes.size() << " classes), " << ResizeFilterName(prep.filter)
            << " crop_pct " << prep.crop_pct << ", " << jobs << " threads\n";

  std::vector<ImageResult> results(static_cast<std::size_t>(n));
  ProgressBar bar("eval", n);
  model::RunOptions o;
  o.keep_trace = false;
  model::FloatForwardOptions fo;
  fo.gelu = model::GeluForm::kErf;
  ParallelFor(n, jobs, [&](std::int64_t i) {
    const std::size_t file = static_cast<std::size_t>(picks[static_cast<std::size_t>(i)]);
    const std::vector<float> x = ReadFloatInput(folder.files[file], c, mean, stdv, prep);
    const model::Tensor q = model::QuantizeImage(x, c.in_channels, c.image_size,
                                                 g.params.reference.at("input.scale")[0]);
    const std::int64_t label = folder.labels[file];
    ImageResult& r = results[static_cast<std::size_t>(i)];
    const auto top = TopClasses(DequantizedLogits(g, model::RunReference(g, q, o).logits), kTopK);
    r.int_top1 = top[0];
    r.int_top5 = InTop(top, label);
    if (fl) {
      const auto ftop = TopClasses(model::FloatForward(fl->vit, x, {}, fo), kTopK);
      r.float_top1 = ftop[0];
      r.float_top5 = InTop(ftop, label);
    }
    bar.Step();
  });

  std::int64_t top1 = 0, top5 = 0, ftop1 = 0, ftop5 = 0, agree = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const ImageResult& r = results[static_cast<std::size_t>(i)];
    const std::int64_t label = folder.labels[static_cast<std::size_t>(picks[static_cast<std::size_t>(i)])];
    top1 += r.int_top1 == label, top5 += r.int_top5;
    ftop1 += r.float_top1 == label, ftop5 += r.float_top5, agree += r.int_top1 == r.float_top1;
  }
  nlohmann::ordered_json j;
  j["model"] = a.model;
  j["data"] = a.data;
  j["images"] = n;
  j["top1"] = Rounded(Percent(top1, n));
  j["top5"] = Rounded(Percent(top5, n));
  std::ostringstream table;
  table << std::fixed << std::setprecision(2) << "           top-1     top-5\n"
        << "integer  " << std::setw(7) << Percent(top1, n) << " %  " << std::setw(6)
        << Percent(top5, n) << " %\n";
  if (fl) {
    j["float"] = a.float_path;
    j["float_top1"] = Rounded(Percent(ftop1, n));
    j["float_top5"] = Rounded(Percent(ftop5, n));
    j["agreement"] = Rounded(Percent(agree, n));
    table << "float    " << std::setw(7) << Percent(ftop1, n) << " %  " << std::setw(6)
          << Percent(ftop5, n) << " %\n"
          << "agreement (same top-1): " << Percent(agree, n) << " %\n";
  }
  const std::string path = (std::filesystem::path(out) / "eval.json").string();
  WriteFileAtomically(path, j.dump(2) + "\n");
  std::cout << table.str() << "wrote " << path << "\n";
  return 0;
}

}  // namespace intvit::tools
