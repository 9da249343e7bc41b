// `intvit plot DIR [--points ID,...]`: the figures and report page of a sweep's results folder
// (docs/plots.md), drawn again, e.g. for other points or after `intvit sweep merge`.
#include "tools/command_args.h"
#include "tools/plot_script.h"

namespace intvit::tools {

int RunPlot(const PlotArgs& a) {
  std::vector<std::string> args = {"sweep", a.dir};
  if (!a.points.empty()) {
    args.push_back("--points");
    args.push_back(a.points);
  }
  RunPlotScript(args);
  return 0;
}

}  // namespace intvit::tools
