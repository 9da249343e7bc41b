// Node groups: the units of lowering. Each group reads DRAM-resident tensors, keeps every
// intermediate (int32/int64 included) in SRAM, and writes one DRAM-resident tensor.
#pragma once

#include <string>
#include <vector>

#include "model/graph/graph.h"

namespace intvit::compiler {

enum class GroupKind {
  kPatchEmbed,       // conv_patch + requant (+ concat_cls, free: stores go to rows 1.. of cls_concat)
  kRequantResidual,  // a requant with residual over two DRAM tensors (qact1 + pos_embed)
  kNorm,             // (take_cls_row +) layernorm + requant
  kLinear,           // linear + epilogue: none | requant | requant + residual requant
                     // | requant + shiftgelu + requant
  kAttention,        // per head: scores, requant, shiftmax, context; then the requant of all heads
};

struct Group {
  GroupKind kind = GroupKind::kLinear;
  std::string name;        // layer name in listings and reports
  std::vector<int> nodes;  // indices into Graph::nodes
  int output = -1;         // the DRAM-resident tensor it writes
};

std::string GroupKindName(GroupKind k);

// Splits the graph's node list into groups; throws InputError naming the node where the graph
// does not have a structure the compiler supports.
std::vector<Group> FindGroups(const model::Graph& g);

}  // namespace intvit::compiler
