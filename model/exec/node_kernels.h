// RunNode: executes one Graph node on the tensors of a trace, by calling the model/ops
// functions. Shared by RunReference and, later, by anything that replays single nodes.
#pragma once

#include "model/graph/graph.h"
#include "model/ops/gemm_isa.h"

namespace intvit::model {

class GoldenTrace;

// Reads the node's inputs from `trace` (constants from the graph), computes, and stores the
// output in `trace`. The per-head attention-context nodes write their head's columns of a
// shared output, creating it on first use. GEMM nodes use the packed-weight kernels of `isa`;
// the plain model/ops loops define the same bits (tests/model/ops/gemm_int8_test.cc).
void RunNode(const Graph& g, const Node& n, GemmIsa isa, GoldenTrace& trace);

}  // namespace intvit::model
