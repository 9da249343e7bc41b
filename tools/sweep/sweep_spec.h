// A sweep spec (docs/sweep.md): a base arch, models, an image seed, and the design points as
// `-p` overrides, from a cartesian `grid` and/or an explicit `points` list. Parsing checks the
// whole spec before anything runs: unknown keys, wrong types, empty axes, duplicate points, and
// every point's overrides through the same parser and validation as `intvit sim -p`. Each
// refusal is one InputError naming the spec file, the key and the point.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace intvit::tools::sweep {

// One design point: a model and the overrides applied over the spec's arch.
struct SweepPoint {
  int index = 0;          // position in the expansion (grid points, then explicit points; each
                          // of them once per model, models innermost)
  std::string id;         // "p0007-1a2b3c4d": index and 8 hex of SHA-256(model, overrides)
  std::string model;      // the spec's model argument (random:<preset>:<seed> or a file)
  std::string model_arg;  // what LoadModelArg reads: a file path resolved against the spec's folder
  nlohmann::ordered_json axes;         // {key: value} the point sets, in axis order
  std::vector<std::string> overrides;  // "key=value", as `-p` takes them
  std::string Describe() const;        // "point 7 (array.rows=8, model random:deit-tiny:1)"
};

struct SweepSpec {
  std::filesystem::path path;   // the spec file
  nlohmann::ordered_json json;  // the spec as given
  std::string sha256;           // of the canonical dump (keys sorted): format-independent
  std::string arch = "base16";
  std::vector<std::string> models;
  std::uint64_t image_seed = 1;
  std::vector<std::string> axis_keys;  // every key a point sets, grid keys first (CSV columns)
  std::vector<SweepPoint> points;
};

// Reads, parses and validates SPEC (each point's effective arch is built and validated).
SweepSpec LoadSweepSpec(const std::filesystem::path& path);
// The same from the spec's JSON (`path` names it in messages and anchors relative model files).
SweepSpec ParseSweepSpec(const nlohmann::ordered_json& json, const std::filesystem::path& path);

// The spec's hash from its JSON (the same for any formatting of the same content).
std::string SpecHash(const nlohmann::ordered_json& spec);

// --shard I/N: "I/N" with 0 <= I < N. Throws InputError otherwise.
struct Shard {
  int index = 0, count = 1;
  bool Holds(const SweepPoint& p) const { return p.index % count == index; }
  std::string Text() const { return std::to_string(index) + "/" + std::to_string(count); }
};
Shard ParseShard(const std::string& text);

}  // namespace intvit::tools::sweep
