// The report of a finished sweep folder: DIR/plots/ and DIR/index.html from DIR/spec.json and
// DIR/results.jsonl (docs/sweep.md). `intvit sweep` calls it when the last point is in, and
// `intvit sweep merge` on the merged folder.
#pragma once

#include <filesystem>

namespace intvit::tools {

void WriteSweepReport(const std::filesystem::path& dir);

}  // namespace intvit::tools
