#include "tools/sweep/point_area.h"

#include "tools/area_cli.h"

namespace intvit::tools::sweep {

std::optional<nlohmann::json> PointArea(const compiler::ArchConfig& arch) {
#ifdef INTVIT_WITH_RTL
  return AreaStatsJson(arch);  // yosys at the point's parameters, cached (docs/energy.md)
#else
  (void)arch;
  return std::nullopt;  // no RTL to synthesize in this build: the area columns stay empty
#endif
}

}  // namespace intvit::tools::sweep
