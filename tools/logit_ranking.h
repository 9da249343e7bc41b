// Ranking classes by the integer logits. I-ViT's head has no final requantization, so each class
// has its own logit scale (reference "head.scale"); classes are compared by the dequantized
// value logit[c] * scale[c] (by the raw integer when the model has no scales).
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "model/graph/graph.h"
#include "model/tensor/tensor.h"

namespace intvit::tools {

inline std::vector<double> DequantizedLogits(const model::Graph& g, const model::Tensor& logits) {
  const auto it = g.params.reference.find("head.scale");
  std::vector<double> v;
  for (std::int64_t c = 0; c < logits.numel(); ++c) {
    const double s = it == g.params.reference.end() ? 1.0
                     : it->second.size() == 1     ? it->second[0]
                                                  : it->second[c];
    v.push_back(static_cast<double>(logits.ValueAt(c)) * s);
  }
  return v;
}

// The k best classes, best first; ties go to the lower class index, so rankings are stable.
template <typename T>
std::vector<std::int64_t> TopClasses(const std::vector<T>& scores, std::size_t k) {
  std::vector<std::int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::int64_t{0});
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::int64_t a, std::int64_t b) {
                      return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
                    });
  order.resize(k);
  return order;
}

}  // namespace intvit::tools
