// Lays out I-ViT's integer dataflow (ARITHMETIC.md §8) as a Graph.
#pragma once

#include <string>
#include <vector>

#include "model/graph/graph.h"

namespace intvit::model {

// Builds the graph and checks `params` against `config`: every tensor present with its dtype
// and shape, every requant/shiftmax/gelu/layernorm entry present and in range, and no bias
// that could overflow an int32 accumulator. Arithmetic knobs (n, out bits, DIV, rounding, the
// Newton settings) come from the config and overwrite what the params carry. Throws
// InputError naming the first inconsistent parameter.
//
// Node order and names (T = tokens, C = embed_dim, H = mlp_hidden, d = head_dim):
//   patch_embed.proj (conv, int32 [Np,C]) -> patch_embed.qact (int16) -> cls_concat (int16
//   [T,C]) -> qact1 (requant with residual pos_embed, int16)
//   per block i, prefix blocks.i.:
//     norm1 (int64) -> qact1 (int8) -> attn.qkv (int32 [T,3C]) -> attn.qact1 (int8)
//     per head h: attn.matmul_1.hh (int32 [T,T]) -> attn.qact_attn1.hh (int8)
//                 -> attn.int_softmax.hh (uint16) -> attn.matmul_2.hh (into int32 [T,C])
//     attn.qact2 (int8) -> attn.proj (int32) -> attn.qact3 (int16) -> qact2 (+ block input,
//     int16) -> norm2 (int64) -> qact3 (int8) -> mlp.fc1 (int32 [T,H]) -> mlp.qact_gelu (int8)
//     -> mlp.act (int32) -> mlp.qact1 (int8) -> mlp.fc2 (int32) -> mlp.qact2 (int16)
//     -> qact4 (+ qact2, int16)
//   cls_select (row 0, int16 [1,C]) -> norm (int64) -> qact2 (int8) -> head (int32 [1,classes])
// I-ViT normalizes every token and then takes row 0; LayerNorm is row-wise, so taking row 0
// first gives the same bits for a 197th of the work.
Graph BuildVitGraph(const ModelConfig& config, ModelParams params);

// The names of every parameter the graph of `config` needs, by kind: what a model file or
// `intvit synth` must provide.
struct ParamNames {
  std::vector<std::string> tensors, requants, shiftmaxes, gelus, layernorms;
};
ParamNames RequiredParamNames(const ModelConfig& config);

}  // namespace intvit::model
