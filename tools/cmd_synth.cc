// `intvit synth`: makes a realistic quantized ViT without any download (docs/synth.md) and
// writes it as a model file (docs/model-format.md).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "intvit_version.h"
#include "model/common/error.h"
#include "model/graph/vit_builder.h"
#include "model/io/model_file.h"
#include "model/quant/synthesize.h"
#include "tools/commands.h"

namespace intvit::tools {
namespace {

struct SynthArgs {
  std::string arch = "deit-tiny";
  std::string config_json;
  std::vector<std::string> overrides;
  std::uint64_t seed = 1;
  int calib_images = model::kDefaultCalibrationImages;
  std::string out;
};

int RunSynth(const SynthArgs& a) {
  model::ModelConfig c = model::ModelPreset(a.arch);
  for (const auto& o : a.overrides) ApplyConfigOverride(c, model::ModelConfigFields(), o);
  model::ValidateModelConfig(c, "model config");
  std::cerr << "synth: " << a.arch << " (C " << c.embed_dim << ", depth " << c.depth
            << ", heads " << c.num_heads << ", " << c.tokens() << " tokens), seed " << a.seed
            << ", " << a.calib_images << " calibration images ...\n";
  const auto t0 = std::chrono::steady_clock::now();
  model::ModelFile f{c, model::SynthesizeModel(c, a.seed, a.calib_images), {}};
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.provenance["generator"] = kGenerator;
  f.provenance["command"] = "intvit synth --arch " + a.arch + " --seed " + std::to_string(a.seed);
  f.provenance["seed"] = std::to_string(a.seed);
  f.provenance["calibration_images"] = std::to_string(a.calib_images);
  const auto parent = std::filesystem::path(a.out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  model::WriteModelFile(a.out, f);
  const model::Graph g = model::BuildVitGraph(f.config, f.params);
  std::cout << "wrote " << a.out << " (" << std::filesystem::file_size(a.out) / 1024 << " KiB): "
            << g.nodes.size() << " nodes, " << g.TotalMacs() / 1000000 << " M MACs/image; "
            << "synthesized in " << secs << " s\n";
  return 0;
}

}  // namespace

void RegisterSynth(CLI::App& app) {
  auto a = std::make_shared<SynthArgs>();
  auto* sub = app.add_subcommand(
      "synth", "Make a quantized ViT: seeded float weights, PTQ calibration, I-ViT quantization");
  sub->add_option("--arch", a->arch, "model preset: deit-tiny, deit-small, deit-base, vit-tiny-test")
      ->capture_default_str();
  sub->add_option("-p", a->overrides,
                  "override a model config field, e.g. -p depth=2 (see intvit info --model)");
  sub->add_option("--seed", a->seed, "seed of weights and calibration images")->capture_default_str();
  sub->add_option("--calib-images", a->calib_images, "calibration images")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub->add_option("-o,--out", a->out, "output model file (.safetensors)")->required();
  SetAction(sub, [a] { return RunSynth(*a); });
}

}  // namespace intvit::tools
