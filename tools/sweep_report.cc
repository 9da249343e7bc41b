#include "tools/sweep_report.h"

namespace intvit::tools {

// Written by the plots work (plots and index.html); until it is merged a sweep ends with its
// results files only.
void WriteSweepReport(const std::filesystem::path&) {}

}  // namespace intvit::tools
