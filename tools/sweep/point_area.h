// The area of a sweep point's machine, for the rows' "area" object {"total_mm2",
// "by_component"} when the point's stats.json does not carry one.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "compiler/arch_config.h"

namespace intvit::tools::sweep {

// nullopt while no area model is linked in. This is the one call site of the area model
// (EstimateArea(ArchConfig)) for sweeps: wire it here.
std::optional<nlohmann::json> PointArea(const compiler::ArchConfig& arch);

}  // namespace intvit::tools::sweep
