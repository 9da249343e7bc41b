// Runs sweep points on worker processes: one forked child per point (SystemC elaborates once
// per process), at most `jobs` at a time. Children share the parent's models and golden traces
// copy-on-write; each writes DIR/points/<id>/ (its stdout and stderr go to log.txt there) and
// leaves its row in row.json. A child that dies without one (a signal, the OOM killer) gives a
// failed row saying so. Children die with the parent (PR_SET_PDEATHSIG), so a killed sweep
// leaves no worker behind to write into a folder a resumed sweep reuses.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "tools/sweep/point_run.h"

namespace intvit::tools::sweep {

// runs[i] belongs to spec.models[i]. on_done is called in the parent, in finishing order.
void RunPointsInChildren(const SweepSpec& spec, const std::vector<const SweepPoint*>& todo,
                         std::vector<ModelRun>& runs, const std::filesystem::path& dir,
                         unsigned jobs, const std::function<void(const Row&)>& on_done);

}  // namespace intvit::tools::sweep
