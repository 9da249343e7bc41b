// `intvit sweep SPEC --emit-slurm DIR [--shards N]`: a Slurm job-array script, DIR/sweep.sbatch,
// with one array task per shard. Task I runs `intvit sweep SPEC --shard I/N --resume` into
// DIR/shard-I (so a requeued task finishes its shard), and DIR/merge.sh merges the shard
// folders into DIR/merged. Paths in the scripts are absolute (the binary, the spec, DIR).
#pragma once

#include "tools/command_args.h"
#include "tools/sweep/sweep_spec.h"

namespace intvit::tools::sweep {

int EmitSlurm(const SweepSpec& spec, const SweepArgs& a);

}  // namespace intvit::tools::sweep
