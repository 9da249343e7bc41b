// The bridge from intvit to its figures: tools/plot/intvit_plot.py (matplotlib, Debian's
// python3-matplotlib) run as a child process. The script is found in the source tree the
// binary was built from (INTVIT_SOURCE_DIR/tools/plot), the way the arch configs are. The
// interpreter is $INTVIT_PYTHON if set, else the first of `python3` on PATH and
// /usr/bin/python3 that imports matplotlib (a virtualenv's python3 may lack Debian's).
#pragma once

#include <string>
#include <vector>

#include "model/common/error.h"

namespace intvit::tools {

// No python3, or none with matplotlib: the figures cannot be drawn on this machine.
class PlotToolsMissing : public InputError {
 public:
  using InputError::InputError;
};

// Runs `intvit_plot.py args...`. Its progress lines (stdout) pass through; its stderr is
// captured. Throws InputError with the script's one error line when it refuses its input
// (exit 2), PlotToolsMissing when no python3 with matplotlib is found (naming what to
// install); throws std::runtime_error (an intvit bug, exit 3) when the script fails otherwise.
void RunPlotScript(const std::vector<std::string>& args);

// Throws as RunPlotScript when the figures cannot be drawn here (no python3, no matplotlib,
// no script), before a long run whose figures were asked for.
void CheckPlotTools();

}  // namespace intvit::tools
