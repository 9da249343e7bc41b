// Lowering of one block's attention: per head and row block, the scores GEMM (q rows x all
// keys), requant, Shiftmax over whole rows, the context GEMM (uint16 probabilities x V stored
// [k][n]), and the per-tensor or per-channel requant into the head's columns of the context
// tensor in DRAM (docs/compiler.md "Attention").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/lower/context.h"
#include "model/ops/shiftmax.h"

namespace intvit::compiler {

struct AttentionSpec {
  std::string name;
  std::vector<std::string> nodes;
  // Graph node indices the instructions work for, per head (empty or -1: none), and the final
  // requant of all heads.
  struct HeadNodes {
    int scores = -1, scores_rq = -1, shiftmax = -1, context = -1;
  };
  std::vector<HeadNodes> head_nodes;
  int ctx_rq_node = -1;
  std::int64_t tokens = 0, heads = 0, head_dim = 0;
  DramTensor qkv;  // int8 [T, 3C]: q | k | v, head h at columns h*d of each
  DramTensor ctx;  // int8 [T, C]
  RequantRef scores_rq;  // qact_attn1 (per tensor)
  RequantRef ctx_rq;     // qact2 (per tensor or per channel over C)
  const model::ShiftmaxParams* shiftmax = nullptr;
};

struct AttentionTiling {
  std::int64_t mb = 0;    // query rows per block
  std::int64_t tk = 0;    // keys per K/V chunk (= T when K_h and V_h stay resident per head)
  int bufs = 2;
  bool kv_resident = true;
  bool tables_resident = true;
  std::string ToString() const;
};

AttentionTiling PlanAttention(const AttentionSpec& s, const ArchConfig& arch);
void LowerAttention(Lowering& lw, const AttentionSpec& s);

}  // namespace intvit::compiler
