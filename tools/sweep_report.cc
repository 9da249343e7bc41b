#include "tools/sweep_report.h"

#include <cstdio>

#include "tools/plot_script.h"

namespace intvit::tools {

void WriteSweepReport(const std::filesystem::path& dir) {
  try {
    RunPlotScript({"sweep", dir.string()});
  } catch (const PlotToolsMissing& e) {
    // The results are whole and worth more than their figures: say why there are none and
    // how to draw them later, and let the sweep finish.
    std::fprintf(stderr, "note: no plots or index.html: %s; then run intvit plot %s\n", e.what(),
                 dir.c_str());
  }
}

}  // namespace intvit::tools
