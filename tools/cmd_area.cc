// The area model behind `intvit info --area` and `sim --area` (testbench/area/area_model.h):
// only in builds with the RTL; cmd_info.cc refuses both otherwise.
#include <iostream>

#include "testbench/area/area_model.h"
#include "tools/area_cli.h"

namespace intvit::tools {

nlohmann::json AreaStatsJson(const compiler::ArchConfig& arch) {
  return tb::area::AreaJson(tb::area::EstimateArea(arch));
}

void PrintArea(const compiler::ArchConfig& arch) {
  std::cout << "\n" << tb::area::AreaText(tb::area::EstimateArea(arch));
}

}  // namespace intvit::tools
