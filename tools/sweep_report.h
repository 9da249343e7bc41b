// The figures and the report page of a sweep's results folder (docs/plots.md): writes
// DIR/plots/*.png and *.svg and DIR/index.html from DIR/results.csv, DIR/spec.json and the
// points' folders. `intvit sweep` calls it when the points are done; `intvit plot DIR` does the
// same on demand. Throws InputError on a bad folder or when matplotlib is missing.
#pragma once

#include <filesystem>

namespace intvit::tools {

void WriteSweepReport(const std::filesystem::path& dir);

}  // namespace intvit::tools
