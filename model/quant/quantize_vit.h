// Prepare time: a FloatVit and its calibrated activation ranges become the integer ModelParams
// of I-ViT's dataflow (ARITHMETIC.md §8): per-channel int8 weights, int32 biases, dyadic
// multipliers at every requantization point, Shiftmax and ShiftGELU x0, LayerNorm bias_int,
// the int16 cls token and position embedding. docs/synth.md §Quantization.
#pragma once

#include "model/graph/model_params.h"
#include "model/quant/calibrate.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

// Every QuantAct's scale is SymmetricScale(range.min, range.max, bits) (I-ViT's
// symmetric_linear_quantization_params on CPU); every requantization is
// DyadicFromScales(s_in, s_out), per channel where s_in is (after a Linear or the patch conv:
// RN32(s_w[c] * s_x); after a LayerNorm: RN32(sqrtf(C) / 2^30 * gamma[c])). Scales that are
// not a QuantAct's follow I-ViT's float32 bookkeeping:
//   q k^T:        RN32(RN32(s_qkv * s_qkv) * RN32(head_dim^-0.5))  (folded into qact_attn1)
//   softmax out:  2^-(softmax_out_bits - 1)
//   attn @ v:     RN32(2^-(softmax_out_bits - 1) * s_qkv)
//   GELU out:     RN32(s_gelu_in * 2^-(gelu_out_bits - 1))
//   cls token:    round_half_even(RN32(cls / s_pe)) clamped to int16, the patch-embed output
//                 scale it shares in torch.cat (I-ViT does not clamp; TVM quantizes to int16)
//   pos_embed:    LinearQuantizeHalfEven(pos, s_pos, 16) with its own qact_pos scale
// ModelParams::reference gets "<tensor>.scale" for every tensor of the graph (per channel
// where the scale is), "pos_embed.scale", "cls_token.scale", "input.scale", "input.mean",
// "input.std", "<module>.weight_scale" of every Linear and the conv, and "<norm>.gamma" /
// "<norm>.beta". Throws InputError when a range is missing or a constant leaves its range.
ModelParams QuantizeVit(const FloatVit& vit, const ActivationRanges& ranges);

}  // namespace intvit::model
