// A sweep's results folder (docs/sweep.md §Outputs): DIR/spec.json records the spec as given,
// its hash and the shard, so `--resume` and `sweep merge` can refuse a folder of another spec.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "tools/sweep/sweep_spec.h"

namespace intvit::tools::sweep {

// The content of DIR/spec.json for `spec` run as `shard` (nullopt: every point).
nlohmann::ordered_json SpecRecord(const SweepSpec& spec, const std::optional<Shard>& shard);

// DIR/spec.json of an existing sweep folder. InputError "<option> <dir>: ..." when the folder
// has none or it is not a spec record.
nlohmann::ordered_json ReadSpecRecord(const std::filesystem::path& dir, const std::string& option);

// True when `dir` does not exist or is a folder holding nothing but dot files (temporaries).
bool IsAbsentOrEmpty(const std::filesystem::path& dir);

// The shard a record names ("I/N"), or "" for a whole sweep.
std::string RecordShard(const nlohmann::ordered_json& record);

}  // namespace intvit::tools::sweep
