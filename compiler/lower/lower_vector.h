// Lowering of the row-wise vector groups: LayerNorm + requant (norm1/norm2/the final norm,
// which reads only the cls row), and a requant with a residual over two DRAM tensors (qact1 =
// cls_concat + pos_embed). Both work in blocks of whole rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/lower/context.h"
#include "model/ops/layer_norm.h"

namespace intvit::compiler {

struct NormSpec {
  std::string name;
  std::vector<std::string> nodes;
  DramTensor x;    // int16 [R, C]
  DramTensor out;  // int8 [R, C]
  const model::LayerNormParams* ln = nullptr;
  std::uint64_t bias_int_addr = 0;  // int64 [C]
  RequantRef rq;
  int ln_node = -1, rq_node = -1;  // Graph node indices (-1: none)
};

struct ResidualRequantSpec {
  std::string name;
  std::vector<std::string> nodes;
  DramTensor x, res;  // int16 [R, C]
  DramTensor out;     // int16 [R, C]
  RequantRef rq;
  int node = -1;      // the requant's Graph node index (-1: none)
};

struct RowTiling {
  std::int64_t rows = 0;  // rows per block
  int bufs = 2;
  std::int64_t chunk = 0;  // requant parameter chunk (0: resident)
  std::string ToString() const;
};

void LowerNorm(Lowering& lw, const NormSpec& s);
void LowerResidualRequant(Lowering& lw, const ResidualRequantSpec& s);

}  // namespace intvit::compiler
