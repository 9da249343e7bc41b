// `intvit run`: golden integer inference of a model file on one image, with the top-5 classes,
// optionally the per-layer agreement with the float model and the whole GoldenTrace.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/exec/run_reference.h"
#include "model/io/hex_file.h"
#include "model/io/npy_file.h"
#include "model/quant/dequantized_vit.h"
#include "model/quant/float_compare.h"
#include "model/quant/image_folder.h"
#include "model/quant/image_input.h"
#include "model/quant/resize.h"
#include "model/quant/synthetic_image.h"
#include "tools/command_args.h"
#include "tools/input_image.h"
#include "tools/logit_ranking.h"
#include "tools/model_source.h"
#include "tools/output_dir.h"

namespace intvit::tools {
namespace {

constexpr const char* kGoldenTraceFile = "golden_trace.json";

// Writes every activation of the trace as <name>.hex plus golden_trace.json: {name: {dtype,
// shape, file}}, the tensor convention of intvit-vector-v1, readable by $readmemh. (Not a
// Perfetto trace, hence not trace.json, the name `sim --trace` uses for one.)
void WriteTrace(const model::Graph& g, const model::GoldenTrace& t, const std::string& dir) {
  nlohmann::ordered_json index = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (!t.Has(static_cast<int>(i))) continue;
    const model::Tensor& v = t.Get(static_cast<int>(i));
    const std::string file = g.tensors[i].name + ".hex";
    model::WriteHexFile(std::filesystem::path(dir) / file, v.dtype(), v.ToInt64());
    index[g.tensors[i].name] = {{"dtype", model::DTypeName(v.dtype())}, {"shape", v.shape()},
                                {"file", file}};
  }
  WriteFileAtomically(std::filesystem::path(dir) / kGoldenTraceFile, index.dump(1) + "\n");
}

void PrintTop5(const model::Graph& g, const model::Tensor& logits) {
  const std::vector<double> v = DequantizedLogits(g, logits);
  const std::vector<std::int64_t> order = TopClasses(v, 5);
  const double mx = v[order[0]];
  double z = 0;
  for (double x : v) z += std::exp(x - mx);
  std::cout << "top-5 (class: int32 logit, dequantized logit, softmax)\n";
  for (const std::int64_t c : order) {
    std::cout << "  class " << std::setw(4) << c << ": " << std::setw(12) << logits.ValueAt(c)
              << std::setw(11) << std::fixed << std::setprecision(4) << v[c] << std::setw(9)
              << std::exp(v[c] - mx) / z << "\n";
  }
  std::cout.unsetf(std::ios::fixed);
}

// `run --images DIR`: every picture below DIR (sorted; ImageFolder or flat), one line each, and
// with --save-logits the int64 logits [images, classes].
int RunImages(const RunArgs& a) {
  const LoadedModel m = LoadModelArg(a.model);
  const model::Graph& g = m.graph;
  const model::ImageFolder folder = model::ListImageFolder(a.images);
  const model::Preprocessing prep = ApplyPreprocessArgs(model::ModelPreprocessing(g.params), a.prep);
  const std::int64_t n = static_cast<std::int64_t>(folder.files.size()), k = g.config.num_classes;
  std::cout << "model " << m.name << ": " << g.config.arch << "; " << n << " images from "
            << a.images << "\n";
  std::vector<std::int64_t> all;
  model::RunOptions o;
  o.keep_trace = false;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string& file = folder.files[static_cast<std::size_t>(i)];
    const model::RunResult r = model::RunReference(g, LoadInputImage(g, file, 0, prep).tensor, o);
    const std::vector<std::int64_t> logits = r.logits.ToInt64();
    all.insert(all.end(), logits.begin(), logits.end());
    const std::int64_t top = TopClasses(DequantizedLogits(g, r.logits), 1)[0];
    std::cout << "  " << file << ": class " << top << " (" << logits[top] << ")\n";
  }
  if (!a.save_logits.empty()) {
    model::WriteNpyFile(a.save_logits, model::DType::kInt64, {n, k}, all);
    std::cout << "logits: " << a.save_logits << " [" << n << ", " << k << "]\n";
  }
  return 0;
}

}  // namespace

int RunRun(const RunArgs& a) {
  if (!a.images.empty()) return RunImages(a);
  if (!a.trace_out.empty()) PrepareOutputDir(a.trace_out, "--trace-out");
  if (!a.save_tensors.empty()) PrepareOutputDir(a.save_tensors, "--save-tensors");
  const LoadedModel m = LoadModelArg(a.model);
  const model::Graph& g = m.graph;
  const model::ModelConfig& c = g.config;
  if (a.compare_float) {
    // Refused before the run, naming the missing tensor, rather than after it.
    Require(HasInputScale(g), m.name + ": --compare-float needs a model with reference scales "
                                       "(intvit synth writes them)");
    try {
      model::RequireFloatReference(g);
    } catch (const InputError& e) {
      throw InputError(m.name + ": --compare-float: " + e.what());
    }
  }
  const model::Preprocessing prep = ApplyPreprocessArgs(model::ModelPreprocessing(g.params), a.prep);
  const InputImage input = LoadInputImage(g, a.image, a.seed, prep);
  const model::Tensor& image = input.tensor;
  const std::string& what = input.what;
  // The float comparison starts from the same pixels, before quantization.
  std::vector<float> image_float;
  if (a.compare_float && HasInputScale(g)) {
    image_float = a.image.empty() ? model::SyntheticImage(c, a.seed)
                                  : model::PreprocessImage(ReadInputPicture(g, a.image), c, g.params, prep);
  }
  std::cout << "model " << m.name << ": " << c.arch << ", " << g.TotalMacs() / 1000000
            << " M MACs; image: " << what << "\n";
  model::RunOptions o;
  o.keep_trace = !a.trace_out.empty() || !a.save_tensors.empty() || a.compare_float;
  const bool tty = isatty(2);
  if (tty) {
    o.progress = [](std::size_t done, std::size_t total) {
      if (done % 16 == 0 || done == total) {
        std::cerr << "\rrun: node " << done << "/" << total << (done == total ? "\n" : "")
                  << std::flush;
      }
    };
  }
  model::OpProfile profile;
  if (a.profile) o.profile = &profile;
  const auto t0 = std::chrono::steady_clock::now();
  model::RunResult r = model::RunReference(g, image, o);
  o.progress = nullptr;
  for (int i = 1; i < a.repeat; ++i) r = model::RunReference(g, image, o);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
      a.repeat;
  PrintTop5(g, r.logits);
  std::cout << "time: " << std::fixed << std::setprecision(2) << ms << " ms/image (one core, "
            << model::GemmIsaName(o.isa) << " GEMMs" << (o.keep_trace ? ", trace kept" : "")
            << ", mean of " << a.repeat << ")\n";
  std::cout.unsetf(std::ios::fixed);
  if (a.profile) std::cout << "CPU time per op type:\n" << profile.Format();
  if (a.compare_float) {
    Require(!image_float.empty(), "--compare-float needs a model with reference scales "
                                  "(intvit synth writes them)");
    const model::FloatVit fv = model::DequantizedVit(c, g.params);
    const auto rows = model::CompareWithFloat(fv, g, image_float, r.trace);
    std::cout << "integer vs float (float model = the dequantized weights):\n"
              << model::FormatAgreementTable(rows);
    const auto worst = std::min_element(rows.begin(), rows.end(), [](auto& x, auto& y) {
      return x.cosine < y.cosine;
    });
    std::cout << std::setprecision(4) << "logits cosine " << rows.back().cosine << "; worst layer " << worst->name
              << " cosine " << worst->cosine << "\n";
  }
  if (!a.trace_out.empty()) {
    WriteTrace(g, r.trace, a.trace_out);
    std::cout << "trace: " << a.trace_out << "/" << kGoldenTraceFile << "\n";
  }
  if (!a.save_tensors.empty()) {
    int n = 0;
    for (std::size_t i = 0; i < g.tensors.size(); ++i) {
      if (!r.trace.Has(static_cast<int>(i))) continue;
      model::WriteNpyFile(std::filesystem::path(a.save_tensors) / (g.tensors[i].name + ".npy"),
                          r.trace.Get(static_cast<int>(i)));
      ++n;
    }
    std::cout << "tensors: " << n << " .npy files in " << a.save_tensors << "\n";
  }
  if (!a.save_logits.empty()) {
    model::WriteNpyFile(a.save_logits, model::DType::kInt64, {r.logits.numel()},
                        r.logits.ToInt64());
    std::cout << "logits: " << a.save_logits << "\n";
  }
  return 0;
}

}  // namespace intvit::tools
