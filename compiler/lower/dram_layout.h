// The DRAM image: constants first (weights [N][K] int8 as stored, int32 biases, pos_embed,
// 16-byte (int64 m, int64 e) requant pairs, int64 LayerNorm bias_int), then the input image,
// then one buffer per DRAM-resident activation. cls_concat's row 0 holds the cls token in the
// image, so the concat costs nothing: patch_embed stores into rows 1.. (docs/compiler.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/lower/context.h"
#include "compiler/lower/groups.h"
#include "compiler/program.h"
#include "model/graph/graph.h"

namespace intvit::compiler {

struct DramLayout {
  std::map<int, DramTensor> tensors;           // graph tensor id -> location (2-D views)
  std::map<std::string, RequantRef> requants;  // by params key
  std::map<std::string, std::uint64_t> ln_bias_int;  // by params key
  std::uint64_t read_only_end = 0;             // constants lie below
  const DramTensor& Of(const model::Graph& g, int tensor) const;  // throws std::logic_error
};

// Allocates the regions, fills p.memory.dram, p.memory.dram_bytes and p.dram_image, and adds
// the checked tensors (each group's output, plus the views patch_embed.qact and cls_select).
DramLayout LayOutDram(const model::Graph& g, const std::vector<Group>& groups, Program& p);

}  // namespace intvit::compiler
