#include "model/exec/run_reference.h"

#include <stdexcept>
#include <string>

#include "model/common/error.h"
#include "model/exec/node_kernels.h"

namespace intvit::model {

const Tensor& GoldenTrace::Get(int id) const {
  if (!Has(id)) throw std::out_of_range("trace has no tensor " + std::to_string(id));
  return values_[id];
}

const Tensor& GoldenTrace::Get(const Graph& g, std::string_view name) const {
  const int id = g.FindTensor(name);
  if (id < 0) throw std::out_of_range("graph has no tensor " + std::string(name));
  return Get(id);
}

void GoldenTrace::Set(int id, Tensor t) {
  values_.at(id) = std::move(t);
  present_.at(id) = true;
}

void GoldenTrace::Drop(int id) {
  values_.at(id) = Tensor();
  present_.at(id) = false;
}

RunResult RunReference(const Graph& g, const Tensor& image, const RunOptions& options) {
  const TensorInfo& in = g.tensors.at(g.input);
  Require(image.dtype() == in.dtype && image.shape() == in.shape,
          "input image must be " + std::string(DTypeName(in.dtype)) + " " +
              ShapeString(in.shape) + ", got " + std::string(DTypeName(image.dtype())) + " " +
              ShapeString(image.shape()));
  // Last reader of each tensor, so that a trace-less run can free activations early.
  std::vector<int> last_use(g.tensors.size(), -1);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    for (int t : g.nodes[i].inputs) last_use[t] = static_cast<int>(i);
  }
  RunResult r{Tensor(), GoldenTrace(g.tensors.size())};
  r.trace.Set(g.input, image);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    RunNode(g, g.nodes[i], options.isa, r.trace);
    if (!options.keep_trace) {
      for (int t : g.nodes[i].inputs) {
        if (last_use[t] == static_cast<int>(i) && !g.tensors[t].is_constant && t != g.output) {
          r.trace.Drop(t);
        }
      }
    }
    if (options.progress) options.progress(i + 1, g.nodes.size());
  }
  r.logits = r.trace.Get(g.output);
  return r;
}

}  // namespace intvit::model
