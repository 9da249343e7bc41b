// Lowering of a GEMM node group: linear (or the patch-embedding conv through im2col loads)
// with its epilogue, tiled to the SRAMs (docs/compiler.md "Tiling").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/lower/context.h"
#include "model/ops/conv_patch.h"
#include "model/ops/shift_gelu.h"

namespace intvit::compiler {

struct LinearSpec {
  std::string name;
  std::vector<std::string> nodes;
  // Graph node indices the instructions work for (-1: none): the GEMM (linear or conv_patch),
  // the requant rq1, the ShiftGELU and the requant rq2 of the epilogue.
  struct Nodes {
    int gemm = -1, rq1 = -1, gelu = -1, rq2 = -1;
  } node;
  std::int64_t m = 0, n = 0, k = 0;
  DramTensor a;                  // [m, k] int8; with im2col: the image as [Cin*H, W]
  bool im2col = false;
  model::ConvPatchShape conv;    // with im2col: A row p is patch p in (c, i, j) order
  DramTensor w;                  // [n, k] int8
  bool has_bias = false;
  std::uint64_t bias_addr = 0;   // int32 [n]
  enum class Epilogue {
    kStoreInt32,     // acc -> out (int32)
    kRequant,        // requant rq1 -> out (int8/int16)
    kResidual,       // requant rq1 -> int16, requant rq2 with residual -> out (int16)
    kGelu,           // requant rq1 -> int8 rows, ShiftGELU (rows of all n), requant rq2 -> out
  } epilogue = Epilogue::kStoreInt32;
  RequantRef rq1, rq2;
  model::DType mid_dtype = model::DType::kInt8;  // rq1's output type
  DramTensor residual;                           // kResidual: int16 [m, n]
  const model::ShiftGeluParams* gelu = nullptr;
  DramTensor out;                                // [m, n]
};

struct GemmTiling {
  std::int64_t mb = 0, nb = 0, kb = 0;
  int bufs = 2;             // ring depth of the operand and result tiles
  bool w_resident = false;  // every weight tile stays in wgt across row blocks
  bool tables_resident = true;  // biases and requant pairs loaded whole (else per column block)
  std::int64_t gelu_rows = 0;   // kGelu: rows per ShiftGELU instruction
  std::string ToString() const;
};

// The cheapest tiling whose buffers fit; throws InputError naming the layer and the buffer
// (bytes needed vs available) when even the smallest tiles do not fit.
GemmTiling PlanLinear(const LinearSpec& s, const ArchConfig& arch);

// Opens a layer named s.name, emits its instructions, closes it.
void LowerLinear(Lowering& lw, const LinearSpec& s);

}  // namespace intvit::compiler
