// Attribution: which Graph node each instruction of a Program works for, so that reports can
// have one row per node (layers.csv) although the compiler lowers node groups together and an
// instruction's `layer` field names only the group (compiler::LayerInfo).
//
// Within a group, compute instructions map by opcode to the group's node of that kind: gemm to
// its linear/conv node (attention: b_kn = 0 is the head's scores, b_kn = 1 its context);
// requant to the requant it implements (the first requant after a GEMM, the residual requant
// when `residual` is set, the requant after ShiftGELU when it reads vec; attention: after a
// scores gemm the head's qact_attn1, after a context gemm the group's final requant);
// shiftmax, gelu and layernorm to their node. Attention heads are tracked through the loads
// from the qkv tensor: its column says the head. Loads go to the node of the next compute
// instruction of the group (V loads to the head's context), stores to the node of the previous
// one, syncs to the next instruction's node.
#pragma once

#include <vector>

#include "compiler/program.h"
#include "model/graph/graph.h"

namespace intvit::sim {

// One Graph node index per instruction; -1 for instructions outside every group (finish).
// Throws InputError if a group names a node the graph does not have.
std::vector<int> AttributeInstructions(const compiler::Program& p, const model::Graph& g);

}  // namespace intvit::sim
