// Prepare time: the float32 forward pass of a FloatVit, with an observer that sees the float
// value at every point where I-ViT places a QuantAct. Calibration records their ranges there;
// the float comparison (float_compare.h) lines them up with the integer GoldenTrace.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/quant/float_vit.h"

namespace intvit::model {

// The float GELU. I-ViT's ShiftGELU approximates x * sigmoid(1.702 x), so that form is the
// default: the float reference then differs from the integer model by quantization alone.
enum class GeluForm {
  kSigmoid1702,  // x * sigmoid(1.702 x)
  kErf,          // 0.5 x (1 + erf(x / sqrt 2)), nn.GELU as DeiT trains with
};

struct FloatForwardOptions {
  GeluForm gelu = GeluForm::kSigmoid1702;
  float layer_norm_eps = 1e-6f;  // DeiT's; I-ViT's integer LayerNorm has no eps
};

// One observation point: a QuantAct of I-ViT (its name is the QuantAct's module name, which is
// also the ModelParams requant key and the graph tensor holding its output) or a probe.
struct ActivationPoint {
  std::string name;
  int bits = 8;           // the QuantAct's activation_bit
  bool quant_act = true;  // false: a probe for the float comparison only
};

// Every point of `config` in forward order, with the layout of the values the observer gets:
//   "input"                    the normalized image [Cin, H, W]            (qact_input, 8)
//   "patch_embed.qact"         conv output [Np, C]                         (16)
//   "pos_embed"                the position embedding [T, C]               (qact_pos, 16)
//   "qact1"                    tokens (cls first) + pos_embed [T, C]       (residual, 16)
//   per block, "blocks.<i>." +
//     "qact1"                  norm1 output [T, C]                         (8)
//     "attn.qact1"             qkv [T, 3C]                                 (8)
//     "attn.qact_attn1"        q k^T * head_dim^-0.5, [heads, T, T]        (8)
//     "attn.int_softmax"       softmax probabilities [heads, T, T]         (probe)
//     "attn.qact2"             attention context [T, C]                    (8)
//     "attn.qact3"             proj output [T, C]                          (16)
//     "qact2"                  block input + attention [T, C]              (residual, 16)
//     "qact3"                  norm2 output [T, C]                         (8)
//     "mlp.qact_gelu"          fc1 output [T, H]                           (8)
//     "mlp.qact1"              GELU output [T, H]                          (8)
//     "mlp.qact2"              fc2 output [T, C]                           (16)
//     "qact4"                  qact2 + MLP [T, C]                          (residual, 16)
//   "qact2"                    final norm of the cls token [1, C]          (8)
// A residual QuantAct observes the sum, as I-ViT's QuantAct tracks x + identity.
std::vector<ActivationPoint> ActivationPoints(const ModelConfig& config);

// Called once per point per forward pass, in the order above, with the point's values.
using ActivationObserver = std::function<void(std::string_view point, std::span<const float>)>;

// Computes:   the ViT in float32 on a normalized image [Cin, H, W] (CHW): patch conv, cls
//             token, + pos_embed, `depth` pre-norm blocks (LayerNorm with biased variance,
//             multi-head attention with head_dim^-0.5, softmax, GELU per options), final
//             LayerNorm of the cls token, head. Returns the logits [num_classes].
// Rounding:   float32 storage; sums accumulate in float32 except LayerNorm's mean and variance
//             (double). Deterministic for a given build.
// Range:      image.size() == Cin * H * W of vit.config; else InputError.
std::vector<float> FloatForward(const FloatVit& vit, std::span<const float> image,
                                const ActivationObserver& observer = {},
                                const FloatForwardOptions& options = {});

}  // namespace intvit::model
