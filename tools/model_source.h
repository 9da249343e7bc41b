// The --model argument of the CLI: a model file, or `random:<preset>[:seed]` (a preset shape
// with RandomModelParams, handy for tests and demos).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "model/graph/graph.h"

namespace intvit::tools {

struct LoadedModel {
  model::Graph graph;
  std::string name;  // "deit-tiny (random seed 1)" or the file name
};

// Throws InputError for an unknown preset, a bad seed or an unreadable file.
LoadedModel LoadModelArg(const std::string& arg);

// Where a --model argument's weights come from, for the provenance of generated files:
// {"model": arg, "model_preset": P, "model_seed": S} for random:<preset>[:seed], or
// {"model": arg, "model_file": name, "model_sha256": hex} for a file (read once more to hash).
nlohmann::ordered_json ModelProvenance(const std::string& arg);

inline constexpr const char* kModelArgHelp =
    "model file, or random:<preset>[:seed] (presets: deit-tiny, deit-small, deit-base, "
    "vit-tiny-test)";

}  // namespace intvit::tools
