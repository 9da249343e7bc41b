#include "model/quant/quantize_vit.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/common/error.h"
#include "model/quant/dyadic_from_ratio.h"
#include "model/quant/float32.h"
#include "model/quant/image_input.h"
#include "model/quant/layernorm_bias.h"
#include "model/quant/shift_exp_x0.h"
#include "model/quant/symmetric_quant.h"

namespace intvit::model {
namespace {

using Scales = std::vector<float>;

// round(x), ties to even, whatever the FP rounding mode (torch.round), clamped to int16.
std::int64_t RoundHalfEvenToInt16(float x) {
  const double a = std::fabs(static_cast<double>(x));
  double r = std::floor(a);
  const double frac = a - r;
  if (frac > 0.5 || (frac == 0.5 && std::fmod(r, 2.0) != 0.0)) r += 1.0;
  return static_cast<std::int64_t>(
      std::clamp(std::copysign(r, static_cast<double>(x)), -32768.0, 32767.0));
}

class Quantizer {
 public:
  Quantizer(const FloatVit& v, const ActivationRanges& ranges)
      : v_(v), c_(v.config), ranges_(ranges) {}

  // The QuantAct output scale of `point`: SymmetricScale of its calibrated range.
  float Scale(const std::string& point, int bits) const {
    const auto it = ranges_.find(point);
    Require(it != ranges_.end(), "quantize: no calibrated range for '" + point + "'");
    return SymmetricScale(it->second.min, it->second.max, bits);
  }

  // Scale(), recorded as the scale of the tensor of the same name.
  float ActScale(const std::string& point, int bits) {
    const float s = Scale(point, bits);
    Ref(point + ".scale", {s});
    return s;
  }

  void Ref(const std::string& key, Scales values) { p_.reference[key] = std::move(values); }

  // One requantization point; s_in has one entry or one per channel.
  void Requant(const std::string& name, const Scales& s_in, float s_out, int bits,
               const Scales& s_res = {}) {
    RequantParams r;
    r.out_bits = bits;
    for (const float s : s_in) r.mult.push_back(DyadicFromScales(s, s_out));
    for (const float s : s_res) r.mult_res.push_back(DyadicFromScales(s, s_out));
    p_.requants[name] = std::move(r);
  }

  // Weights and bias of a Linear (or the patch conv) fed by activations of scale s_x; returns
  // the accumulator's per-channel scale RN32(s_w[c] * s_x), recorded as the output's scale.
  Scales Linear(const std::string& module, const FloatLinear& l, float s_x) {
    const int rows = static_cast<int>(l.out), cols = static_cast<int>(l.in);
    PerChannelWeights w = QuantizeWeightsPerChannel(l.weight, rows, cols);
    p_.tensors[module + ".weight"] =
        Tensor::FromVector<std::int8_t>({l.out, l.in}, std::move(w.values));
    p_.tensors[module + ".bias"] =
        Tensor::FromVector<std::int32_t>({l.out}, QuantizeBiasPerChannel(l.bias, w.scales, s_x));
    Scales acc;
    for (const float s : w.scales) acc.push_back(BiasScale(s, s_x));
    Ref(module + ".weight_scale", w.scales);
    Ref(module + ".scale", acc);
    return acc;
  }

  // LayerNorm constants; returns the per-channel output scale sqrtf(C) / 2^30 * gamma[c].
  Scales LayerNorm(const std::string& name, const FloatLayerNorm& n) {
    const LayerNormConstants k = PrepareLayerNormConstants(n.gamma, n.beta);
    p_.layernorms[name] = LayerNormParams{k.bias_int};
    Ref(name + ".gamma", n.gamma);
    Ref(name + ".beta", n.beta);
    Ref(name + ".scale", k.output_scale);
    return k.output_scale;
  }

  // The stem: image, patch conv, cls token, position embedding; returns the stream's scale.
  float Stem() {
    const std::int64_t C = c_.embed_dim;
    const float s_in = ActScale("input", 8);
    Ref("input.mean", v_.input_mean.empty() ? InputMean(c_.in_channels) : v_.input_mean);
    Ref("input.std", v_.input_std.empty() ? InputStd(c_.in_channels) : v_.input_std);
    const Scales pe_acc = Linear("patch_embed.proj", v_.patch_embed, s_in);
    const float s_pe = ActScale("patch_embed.qact", 16);
    Requant("patch_embed.qact", pe_acc, s_pe, 16);
    // torch.cat shares s_pe; qact1's fixedpoint_mul recovers round(cls / s_pe).
    std::vector<std::int64_t> cls;
    for (const float x : v_.cls_token) {
      cls.push_back(RoundHalfEvenToInt16(x / s_pe));
    }
    p_.tensors["cls_token"] = Tensor::FromInt64(DType::kInt16, {1, C}, cls);
    Ref("cls_token.scale", {s_pe});
    Ref("cls_concat.scale", {s_pe});
    const float s_pos = ActScale("pos_embed", 16);
    std::vector<std::int64_t> pos;
    for (const float x : v_.pos_embed) pos.push_back(LinearQuantizeHalfEven(x, s_pos, 16));
    p_.tensors["pos_embed"] = Tensor::FromInt64(DType::kInt16, {c_.tokens(), C}, pos);
    const float s_x = ActScale("qact1", 16);
    Requant("qact1", {s_pe}, s_x, 16, {s_pos});
    return s_x;
  }

  // One block; s_x is the scale of its input stream. Returns the output stream's scale.
  float Block(std::int64_t i, float s_x) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    const FloatBlock& b = v_.blocks[i];
    const std::int64_t heads = c_.num_heads;
    auto per_head = [&](const std::string& tensor, float s) {
      for (std::int64_t h = 0; h < heads; ++h)
        Ref(p + tensor + ".h" + std::to_string(h) + ".scale", {s});
    };
    // Attention.
    const float s_a = ActScale(p + "qact1", 8);
    Requant(p + "qact1", LayerNorm(p + "norm1", b.norm1), s_a, 8);
    const Scales qkv_acc = Linear(p + "attn.qkv", b.qkv, s_a);
    const float s_qkv = ActScale(p + "attn.qact1", 8);
    Requant(p + "attn.qact1", qkv_acc, s_qkv, 8);
    const auto head_scale = static_cast<float>(std::pow(static_cast<double>(c_.head_dim()), -0.5));
    const float s_scores = (s_qkv * s_qkv) * head_scale;
    per_head("attn.matmul_1", s_scores);
    const float s_att = Scale(p + "attn.qact_attn1", 8);
    per_head("attn.qact_attn1", s_att);  // the graph's tensors are per head
    Requant(p + "attn.qact_attn1", {s_scores}, s_att, 8);
    p_.shiftmaxes[p + "attn.int_softmax"] = ShiftmaxParams{ShiftmaxX0FromScale(s_att)};
    const float s_prob = std::ldexp(1.0f, -static_cast<int>(c_.softmax_out_bits - 1));
    per_head("attn.int_softmax", s_prob);
    const float s_ctx_acc = s_prob * s_qkv;
    Ref(p + "attn.matmul_2.scale", {s_ctx_acc});
    const float s_ctx = ActScale(p + "attn.qact2", 8);
    Requant(p + "attn.qact2", {s_ctx_acc}, s_ctx, 8);
    const Scales proj_acc = Linear(p + "attn.proj", b.proj, s_ctx);
    const float s_proj = ActScale(p + "attn.qact3", 16);
    Requant(p + "attn.qact3", proj_acc, s_proj, 16);
    const float s_x2 = ActScale(p + "qact2", 16);
    Requant(p + "qact2", {s_proj}, s_x2, 16, {s_x});
    // MLP.
    const float s_m = ActScale(p + "qact3", 8);
    Requant(p + "qact3", LayerNorm(p + "norm2", b.norm2), s_m, 8);
    const Scales fc1_acc = Linear(p + "mlp.fc1", b.fc1, s_m);
    const float s_g = ActScale(p + "mlp.qact_gelu", 8);
    Requant(p + "mlp.qact_gelu", fc1_acc, s_g, 8);
    p_.gelus[p + "mlp.act"] = ShiftGeluParams{ShiftGeluX0FromScale(s_g)};
    const float s_gelu = s_g * std::ldexp(1.0f, -static_cast<int>(c_.gelu_out_bits - 1));
    Ref(p + "mlp.act.scale", {s_gelu});
    const float s_h = ActScale(p + "mlp.qact1", 8);
    Requant(p + "mlp.qact1", {s_gelu}, s_h, 8);
    const Scales fc2_acc = Linear(p + "mlp.fc2", b.fc2, s_h);
    const float s_fc2 = ActScale(p + "mlp.qact2", 16);
    Requant(p + "mlp.qact2", fc2_acc, s_fc2, 16);
    const float s_out = ActScale(p + "qact4", 16);
    Requant(p + "qact4", {s_fc2}, s_out, 16, {s_x2});
    return s_out;
  }

  ModelParams Run() {
    float s_x = Stem();
    for (std::int64_t i = 0; i < c_.depth; ++i) s_x = Block(i, s_x);
    Ref("cls_select.scale", {s_x});
    const float s_cls = ActScale("qact2", 8);
    Requant("qact2", LayerNorm("norm", v_.norm), s_cls, 8);
    Linear("head", v_.head, s_cls);
    return std::move(p_);
  }

 private:
  const FloatVit& v_;
  const ModelConfig& c_;
  const ActivationRanges& ranges_;
  ModelParams p_;
};

}  // namespace

ModelParams QuantizeVit(const FloatVit& vit, const ActivationRanges& ranges) {
  return Quantizer(vit, ranges).Run();
}

}  // namespace intvit::model
