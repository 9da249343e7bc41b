// The index `intvit vectors` writes beside the cases it cut: index.json (every case with its
// layer, op, kind, tile and tensors, plus the run's provenance) and index.csv (one line per
// case, for shell loops and spreadsheets). docs/vectors.md §Cutting cases from a model.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/io/vector_case.h"

namespace intvit::tools {

struct IndexEntry {
  std::string path;  // the case directory, relative to the output directory
  std::string layer;
  std::string node_op;          // the graph node's kind ("attn_scores")
  std::string op;               // the case's v1 op
  std::string kind;             // "whole" or "tile"
  nlohmann::ordered_json tile;  // meta.tile of a tile case; null for a whole case
  model::TensorMap tensors;     // shapes and dtypes only are written (values may be empty)
};

// Writes <dir>/index.json and <dir>/index.csv. `meta` is the provenance common to every case.
// Throws InputError on an I/O failure.
void WriteVectorIndex(const std::filesystem::path& dir, const nlohmann::ordered_json& meta,
                      const std::vector<IndexEntry>& entries);

}  // namespace intvit::tools
