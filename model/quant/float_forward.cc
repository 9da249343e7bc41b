#include "model/quant/float_forward.h"

#include <algorithm>
#include <cmath>

#include "model/common/error.h"

namespace intvit::model {
namespace {

using Floats = std::vector<float>;

// y[r, o] = b[o] + sum_k x[r, k] W[o, k]. W is transposed first so that the inner loop runs over
// o, contiguous and vectorizable without reassociating any sum.
Floats Linear(const FloatLinear& l, const Floats& x, std::int64_t rows) {
  const std::int64_t in = l.in, out = l.out;
  Floats wt(static_cast<std::size_t>(in * out));
  for (std::int64_t o = 0; o < out; ++o) {
    for (std::int64_t k = 0; k < in; ++k) wt[k * out + o] = l.weight[o * in + k];
  }
  Floats y(static_cast<std::size_t>(rows * out));
  for (std::int64_t r = 0; r < rows; ++r) std::copy(l.bias.begin(), l.bias.end(), &y[r * out]);
  constexpr std::int64_t kRowBlock = 8;  // rows that share one pass over W
  for (std::int64_t r0 = 0; r0 < rows; r0 += kRowBlock) {
    const std::int64_t r1 = std::min(rows, r0 + kRowBlock);
    for (std::int64_t k = 0; k < in; ++k) {
      const float* w = &wt[k * out];
      for (std::int64_t r = r0; r < r1; ++r) {
        const float a = x[r * in + k];
        float* yr = &y[r * out];
        for (std::int64_t o = 0; o < out; ++o) yr[o] += a * w[o];
      }
    }
  }
  return y;
}

// Row-wise LayerNorm over C channels with biased variance, as nn.LayerNorm.
Floats LayerNorm(const FloatLayerNorm& n, const Floats& x, std::int64_t rows, float eps) {
  const auto C = static_cast<std::int64_t>(n.gamma.size());
  Floats y(static_cast<std::size_t>(rows * C));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* xr = &x[r * C];
    double mean = 0.0, var = 0.0;
    for (std::int64_t c = 0; c < C; ++c) mean += xr[c];
    mean /= static_cast<double>(C);
    for (std::int64_t c = 0; c < C; ++c) var += (xr[c] - mean) * (xr[c] - mean);
    var /= static_cast<double>(C);
    const double inv = 1.0 / std::sqrt(var + eps);
    for (std::int64_t c = 0; c < C; ++c) {
      y[r * C + c] = static_cast<float>((xr[c] - mean) * inv) * n.gamma[c] + n.beta[c];
    }
  }
  return y;
}

void SoftmaxRows(float* x, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float* row = x + r * cols;
    const float m = *std::max_element(row, row + cols);
    float sum = 0.0f;
    for (std::int64_t j = 0; j < cols; ++j) sum += (row[j] = std::exp(row[j] - m));
    for (std::int64_t j = 0; j < cols; ++j) row[j] /= sum;
  }
}

float Gelu(float x, GeluForm form) {
  if (form == GeluForm::kErf) return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
  return x / (1.0f + std::exp(-1.702f * x));
}

class Forward {
 public:
  Forward(const FloatVit& v, const ActivationObserver& obs, const FloatForwardOptions& o)
      : v_(v), c_(v.config), obs_(obs), o_(o) {}

  void Observe(const std::string& name, std::span<const float> x) const {
    if (obs_) obs_(name, x);
  }

  Floats Attention(const std::string& p, const Floats& x) const {
    const std::int64_t T = c_.tokens(), C = c_.embed_dim, d = c_.head_dim(), H = c_.num_heads;
    const Floats qkv = Linear(v_.blocks[blk_].qkv, x, T);
    Observe(p + "attn.qact1", qkv);
    // I-ViT scales the float product by head_dim**-0.5 (a Python double, a float32 multiply).
    const auto scale = static_cast<float>(std::pow(static_cast<double>(d), -0.5));
    Floats scores(static_cast<std::size_t>(H * T * T), 0.0f), kt(static_cast<std::size_t>(d * T));
    for (std::int64_t h = 0; h < H; ++h) {
      for (std::int64_t j = 0; j < T; ++j) {
        for (std::int64_t e = 0; e < d; ++e) kt[e * T + j] = qkv[j * 3 * C + C + h * d + e];
      }
      for (std::int64_t i = 0; i < T; ++i) {
        float* s = &scores[(h * T + i) * T];
        for (std::int64_t e = 0; e < d; ++e) {
          const float q = qkv[i * 3 * C + h * d + e];
          const float* k = &kt[e * T];
          for (std::int64_t j = 0; j < T; ++j) s[j] += q * k[j];
        }
        for (std::int64_t j = 0; j < T; ++j) s[j] *= scale;
      }
    }
    Observe(p + "attn.qact_attn1", scores);
    SoftmaxRows(scores.data(), H * T, T);
    Observe(p + "attn.int_softmax", scores);
    Floats ctx(static_cast<std::size_t>(T * C), 0.0f);
    for (std::int64_t h = 0; h < H; ++h) {
      for (std::int64_t i = 0; i < T; ++i) {
        float* out = &ctx[i * C + h * d];
        for (std::int64_t j = 0; j < T; ++j) {
          const float a = scores[(h * T + i) * T + j];
          const float* val = &qkv[j * 3 * C + 2 * C + h * d];
          for (std::int64_t e = 0; e < d; ++e) out[e] += a * val[e];
        }
      }
    }
    Observe(p + "attn.qact2", ctx);
    Floats y = Linear(v_.blocks[blk_].proj, ctx, T);
    Observe(p + "attn.qact3", y);
    return y;
  }

  Floats Mlp(const std::string& p, const Floats& x) const {
    const std::int64_t T = c_.tokens();
    Floats h = Linear(v_.blocks[blk_].fc1, x, T);
    Observe(p + "mlp.qact_gelu", h);
    for (float& e : h) e = Gelu(e, o_.gelu);
    Observe(p + "mlp.qact1", h);
    Floats y = Linear(v_.blocks[blk_].fc2, h, T);
    Observe(p + "mlp.qact2", y);
    return y;
  }

  Floats Run(std::span<const float> image) {
    const std::int64_t C = c_.embed_dim, T = c_.tokens(), P = c_.patch_size, g = c_.grid();
    const std::int64_t S = c_.image_size, Cin = c_.in_channels;
    Require(static_cast<std::int64_t>(image.size()) == Cin * S * S,
            "float forward: the image has " + std::to_string(image.size()) +
                " values; the model "
                "needs " +
                std::to_string(Cin * S * S) + " ([" + std::to_string(Cin) + ", " +
                std::to_string(S) + ", " + std::to_string(S) + "])");
    Observe("input", image);
    // im2col: row p = patch (py, px), columns ordered (cin, i, j) like the conv weight.
    Floats cols(static_cast<std::size_t>(c_.num_patches() * c_.patch_dim()));
    for (std::int64_t p = 0; p < c_.num_patches(); ++p) {
      float* row = &cols[p * c_.patch_dim()];
      for (std::int64_t ch = 0; ch < Cin; ++ch) {
        for (std::int64_t i = 0; i < P; ++i) {
          for (std::int64_t j = 0; j < P; ++j) {
            *row++ = image[(ch * S + (p / g) * P + i) * S + (p % g) * P + j];
          }
        }
      }
    }
    const Floats patches = Linear(v_.patch_embed, cols, c_.num_patches());
    Observe("patch_embed.qact", patches);
    Observe("pos_embed", v_.pos_embed);
    Floats x(static_cast<std::size_t>(T * C));
    std::copy(v_.cls_token.begin(), v_.cls_token.end(), x.begin());
    std::copy(patches.begin(), patches.end(), x.begin() + C);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += v_.pos_embed[i];
    Observe("qact1", x);
    for (blk_ = 0; blk_ < c_.depth; ++blk_) {
      const std::string p = "blocks." + std::to_string(blk_) + ".";
      const FloatBlock& b = v_.blocks[blk_];
      Floats n = LayerNorm(b.norm1, x, T, o_.layer_norm_eps);
      Observe(p + "qact1", n);
      const Floats a = Attention(p, n);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += a[i];
      Observe(p + "qact2", x);
      n = LayerNorm(b.norm2, x, T, o_.layer_norm_eps);
      Observe(p + "qact3", n);
      const Floats m = Mlp(p, n);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += m[i];
      Observe(p + "qact4", x);
    }
    x.resize(static_cast<std::size_t>(C));  // the cls token; LayerNorm is row-wise
    const Floats cls = LayerNorm(v_.norm, x, 1, o_.layer_norm_eps);
    Observe("qact2", cls);
    return Linear(v_.head, cls, 1);
  }

 private:
  const FloatVit& v_;
  const ModelConfig& c_;
  const ActivationObserver& obs_;
  const FloatForwardOptions& o_;
  std::int64_t blk_ = 0;
};

}  // namespace

std::vector<ActivationPoint> ActivationPoints(const ModelConfig& c) {
  std::vector<ActivationPoint> pts = {{"input", 8, true},
                                      {"patch_embed.qact", 16, true},
                                      {"pos_embed", 16, true},
                                      {"qact1", 16, true}};
  for (std::int64_t i = 0; i < c.depth; ++i) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    pts.push_back({p + "qact1", 8, true});
    pts.push_back({p + "attn.qact1", 8, true});
    pts.push_back({p + "attn.qact_attn1", 8, true});
    pts.push_back({p + "attn.int_softmax", static_cast<int>(c.softmax_out_bits), false});
    pts.push_back({p + "attn.qact2", 8, true});
    pts.push_back({p + "attn.qact3", 16, true});
    pts.push_back({p + "qact2", 16, true});
    pts.push_back({p + "qact3", 8, true});
    pts.push_back({p + "mlp.qact_gelu", 8, true});
    pts.push_back({p + "mlp.qact1", 8, true});
    pts.push_back({p + "mlp.qact2", 16, true});
    pts.push_back({p + "qact4", 16, true});
  }
  pts.push_back({"qact2", 8, true});
  return pts;
}

std::vector<float> FloatForward(const FloatVit& vit, std::span<const float> image,
                                const ActivationObserver& observer,
                                const FloatForwardOptions& options) {
  return Forward(vit, observer, options).Run(image);
}

}  // namespace intvit::model
