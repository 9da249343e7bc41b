#include "model/quant/float_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "model/common/error.h"
#include "model/quant/dequantized_vit.h"
#include "model/quant/image_input.h"

namespace intvit::model {
namespace {

const std::vector<float>& ScaleOf(const Graph& g, const std::string& tensor) {
  const auto it = g.params.reference.find(tensor + ".scale");
  Require(it != g.params.reference.end() && !it->second.empty(),
          "float comparison: the model has no tensor 'reference." + tensor + ".scale'");
  return it->second;
}

// Appends tensor `name` dequantized with its reference scale.
void AppendDequantized(const Graph& g, const GoldenTrace& trace, const std::string& name,
                       std::vector<double>& out) {
  const int id = g.FindTensor(name);
  Require(id >= 0, "float comparison: the graph has no tensor '" + name + "'");
  const Tensor& t = g.tensors[id].is_constant ? g.Constant(id) : trace.Get(id);
  const std::vector<float>& s = ScaleOf(g, name);
  const std::vector<std::int64_t> v = t.ToInt64();
  const auto n = static_cast<std::int64_t>(v.size());
  const auto channels = static_cast<std::int64_t>(s.size());
  Require(channels == 1 || channels == t.dim(-1),
          "float comparison: '" + name + ".scale' has " + std::to_string(channels) +
              " values for a last axis of " + std::to_string(t.dim(-1)));
  for (std::int64_t i = 0; i < n; ++i) {
    out.push_back(static_cast<double>(v[i]) * s[channels == 1 ? 0 : i % channels]);
  }
}

LayerAgreement Agreement(const std::string& name, const std::vector<double>& q,
                         std::span<const float> f) {
  Require(q.size() == f.size(), "float comparison: '" + name + "' has " + std::to_string(q.size()) +
                                    " integer values and " + std::to_string(f.size()) +
                                    " float values");
  LayerAgreement a;
  a.name = name;
  double dot = 0.0, qq = 0.0, ff = 0.0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double fi = f[i];
    dot += q[i] * fi, qq += q[i] * q[i], ff += fi * fi;
    a.max_abs_err = std::max(a.max_abs_err, std::fabs(q[i] - fi));
    a.float_max_abs = std::max(a.float_max_abs, std::fabs(fi));
  }
  if (qq == 0.0 && ff == 0.0) {
    a.cosine = 1.0;
  } else if (qq > 0.0 && ff > 0.0) {
    a.cosine = dot / (std::sqrt(qq) * std::sqrt(ff));
  }
  return a;
}

bool IsPerHead(const std::string& point) {
  return point.ends_with("attn.qact_attn1") || point.ends_with("attn.int_softmax");
}

}  // namespace

std::vector<LayerAgreement> CompareWithFloat(const FloatVit& vit, const Graph& graph,
                                             std::span<const float> image, const GoldenTrace& trace,
                                             const FloatForwardOptions& options) {
  const ModelConfig& c = graph.config;
  Require(c.embed_dim == vit.config.embed_dim && c.depth == vit.config.depth &&
              c.image_size == vit.config.image_size && c.num_classes == vit.config.num_classes,
          "float comparison: the float model and the graph have different configs");
  std::map<std::string, std::vector<float>, std::less<>> floats;
  const std::vector<float> logits = FloatForward(
      vit, image,
      [&](std::string_view point, std::span<const float> x) {
        floats[std::string(point)].assign(x.begin(), x.end());
      },
      options);
  std::vector<LayerAgreement> rows;
  for (const ActivationPoint& p : ActivationPoints(c)) {
    std::vector<double> q;
    if (IsPerHead(p.name)) {
      for (std::int64_t h = 0; h < c.num_heads; ++h) {
        AppendDequantized(graph, trace, p.name + ".h" + std::to_string(h), q);
      }
    } else {
      AppendDequantized(graph, trace, p.name, q);
    }
    rows.push_back(Agreement(p.name, q, floats.at(p.name)));
  }
  std::vector<double> q;
  AppendDequantized(graph, trace, graph.tensors[graph.output].name, q);
  rows.push_back(Agreement("logits", q, logits));
  return rows;
}

void RequireFloatReference(const Graph& graph) {
  const ModelConfig& c = graph.config;
  static_cast<void>(DequantizedVit(c, graph.params));  // throws naming the first one it lacks
  for (const char* key : {"input.mean", "input.std"}) {
    Require(graph.params.reference.contains(key),
            std::string("float comparison: the model has no tensor 'reference.") + key + "'");
  }
  ScaleOf(graph, "input");
  for (const ActivationPoint& p : ActivationPoints(c)) {
    if (IsPerHead(p.name)) {
      for (std::int64_t h = 0; h < c.num_heads; ++h) ScaleOf(graph, p.name + ".h" + std::to_string(h));
    } else {
      ScaleOf(graph, p.name);
    }
  }
  ScaleOf(graph, graph.tensors[graph.output].name);
}

std::vector<LayerAgreement> RunAndCompareWithFloat(const FloatVit& vit, const Graph& graph,
                                                   std::span<const float> image,
                                                   const FloatForwardOptions& options) {
  const Tensor input = QuantizeImage(image, graph.config.in_channels, graph.config.image_size,
                                     ScaleOf(graph, "input").at(0));
  const RunResult r = RunReference(graph, input);
  return CompareWithFloat(vit, graph, image, r.trace, options);
}

std::string FormatAgreementTable(const std::vector<LayerAgreement>& rows) {
  std::size_t width = 5;
  for (const auto& r : rows) width = std::max(width, r.name.size());
  char line[256];
  std::snprintf(line, sizeof(line), "%-*s  %10s  %12s  %12s\n", static_cast<int>(width), "point",
                "cosine", "max_abs_err", "float_max");
  std::string s = line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof(line), "%-*s  %10.6f  %12.5g  %12.5g\n", static_cast<int>(width),
                  r.name.c_str(), r.cosine, r.max_abs_err, r.float_max_abs);
    s += line;
  }
  return s;
}

}  // namespace intvit::model
