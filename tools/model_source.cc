#include "tools/model_source.h"

#include <filesystem>

#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#if __has_include("model/io/model_file.h")
#include "model/io/model_file.h"
#define INTVIT_HAVE_MODEL_FILE 1
#endif

namespace intvit::tools {

LoadedModel LoadModelArg(const std::string& arg) {
  if (arg.starts_with("random:")) {
    std::string rest = arg.substr(7);
    std::uint64_t seed = 1;
    if (const auto colon = rest.find(':'); colon != std::string::npos) {
      const std::string s = rest.substr(colon + 1);
      Require(!s.empty() && s.find_first_not_of("0123456789") == std::string::npos &&
                  s.size() <= 19,
              "--model " + arg + ": the seed must be a non-negative integer");
      seed = std::stoull(s);
      rest = rest.substr(0, colon);
    }
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
