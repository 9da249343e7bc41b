// The area model's entry points for the CLI (tools/cmd_area.cc, in builds with the RTL; without
// it cmd_info.cc defines them to throw an InputError saying why).
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/arch_config.h"

namespace intvit::tools {

// stats.json's "area" object: {"table", "total_mm2", "by_component"} (docs/energy.md).
nlohmann::json AreaStatsJson(const compiler::ArchConfig& arch);

// Prints the area table of `intvit info --arch A --area`.
void PrintArea(const compiler::ArchConfig& arch);

}  // namespace intvit::tools
