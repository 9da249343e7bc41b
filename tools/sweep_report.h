// The figures and the report page of a sweep's results folder (docs/plots.md): writes
// DIR/plots/*.png and *.svg and DIR/index.html from DIR/results.csv, DIR/spec.json and the
// points' folders. `intvit sweep` calls it when the last point is in, `intvit sweep merge` on
// the merged folder, and `intvit plot DIR` on demand. Throws InputError on a bad folder; without
// python3-matplotlib it prints a note saying so (the results stand) and returns.
#pragma once

#include <filesystem>

namespace intvit::tools {

void WriteSweepReport(const std::filesystem::path& dir);

}  // namespace intvit::tools
