#include "tools/model_source.h"

#include <filesystem>

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/io/sha256.h"
#if __has_include("model/io/model_file.h")
#include "model/io/model_file.h"
#define INTVIT_HAVE_MODEL_FILE 1
#endif

namespace intvit::tools {

namespace {

// random:<preset>[:seed] -> (preset, seed); the seed defaults to 1.
std::pair<std::string, std::uint64_t> ParseRandomArg(const std::string& arg) {
  std::string rest = arg.substr(7);
  std::uint64_t seed = 1;
  if (const auto colon = rest.find(':'); colon != std::string::npos) {
    const std::string s = rest.substr(colon + 1);
    Require(!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() <= 19,
            "--model " + arg + ": the seed must be a non-negative integer");
    seed = std::stoull(s);
    rest = rest.substr(0, colon);
  }
  return {rest, seed};
}

}  // namespace

nlohmann::ordered_json ModelProvenance(const std::string& arg) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["model"] = arg;
  if (arg.starts_with("random:")) {
    const auto [preset, seed] = ParseRandomArg(arg);
    j["model_preset"] = preset;
    j["model_seed"] = seed;
  } else {
    j["model_file"] = std::filesystem::path(arg).filename().string();
    j["model_sha256"] = model::Sha256FileHex(arg);
  }
  return j;
}

LoadedModel LoadModelArg(const std::string& arg) {
  if (arg.starts_with("random:")) {
    const auto [rest, seed] = ParseRandomArg(arg);
    const model::ModelConfig c = model::ModelPreset(rest);
    return {model::BuildVitGraph(c, model::RandomModelParams(c, seed)),
            rest + " (random seed " + std::to_string(seed) + ")"};
  }
#ifdef INTVIT_HAVE_MODEL_FILE
  model::ModelFile f = model::ReadModelFile(arg);
  return {model::BuildVitGraph(f.config, std::move(f.params)),
          std::filesystem::path(arg).filename().string()};
#else
  throw InputError("--model " + arg +
                   ": model files are not supported by this build yet; use "
                   "random:<preset>[:seed]");
#endif
}

}  // namespace intvit::tools
