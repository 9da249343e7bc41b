// The area of a sweep point's machine: its row's "area" object and its stats.json's.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "compiler/arch_config.h"

namespace intvit::tools::sweep {

// The area model's {"table", "total_mm2", "by_component"} (tools/area_cli.h) in builds with
// the RTL; nullopt in builds without it. Throws InputError when yosys is missing.
std::optional<nlohmann::json> PointArea(const compiler::ArchConfig& arch);

}  // namespace intvit::tools::sweep
