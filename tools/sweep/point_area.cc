#include "tools/sweep/point_area.h"

namespace intvit::tools::sweep {

std::optional<nlohmann::json> PointArea(const compiler::ArchConfig&) { return std::nullopt; }

}  // namespace intvit::tools::sweep
