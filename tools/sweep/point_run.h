// One sweep point, run in its own process (SystemC elaborates once per process): compile the
// model for the point's arch, simulate it with the bit check against the golden trace the
// parent computed once per model, write the point's folder (the files of `intvit sim`, plus
// summary.txt) and return its result row (docs/sweep.md §Outputs).
#pragma once

#include <filesystem>

#include "tools/sim_setup.h"
#include "tools/sweep/results_log.h"
#include "tools/sweep/sweep_spec.h"

namespace intvit::tools::sweep {

// What every point of one model shares: the model, the input image and its golden run.
struct ModelRun {
  LoadedModel model;
  InputImage input;
  model::RunResult golden;
};

// The fields of `p`'s row that do not need a run: id, axes (every spec axis key: the point's
// value, or the base arch's for a key the point does not set), model, dir; status "failed" with
// `error`, no figures.
Row BaseRow(const SweepSpec& spec, const SweepPoint& p, const std::string& error);

// Runs `p` into `dir` (which exists and is empty) and returns its row: status "ok" when it ran
// bit-exact; "failed" with the error (a compile error such as an SRAM overflow, or the first
// bit mismatch, with the figures of the run) otherwise. Consumes `run` (call it in a child).
Row RunPoint(const SweepSpec& spec, const SweepPoint& p, ModelRun&& run,
             const std::filesystem::path& dir);

}  // namespace intvit::tools::sweep
