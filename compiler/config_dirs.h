// Where shipped configs of one kind live ("arch": configs/arch/*.json, "energy":
// configs/energy/*.json): $INTVIT_CONFIG_DIR/<kind>, ./configs/<kind>, then the source tree's.
// Both the arch configs and the energy tables find their files by name through here.
#pragma once

#include <string>
#include <vector>

namespace intvit::compiler {

// The names (file stems) of the JSON files in the folders of `kind`, sorted, without repeats.
std::vector<std::string> ShippedConfigNames(const std::string& kind);

// The first `<folder>/<name>.json` that is a regular file, or "" when none is.
std::string FindShippedConfig(const std::string& kind, const std::string& name);

}  // namespace intvit::compiler
