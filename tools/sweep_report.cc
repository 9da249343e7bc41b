#include "tools/sweep_report.h"

#include "tools/plot_script.h"

namespace intvit::tools {

void WriteSweepReport(const std::filesystem::path& dir) { RunPlotScript({"sweep", dir.string()}); }

}  // namespace intvit::tools
