#include "model/exec/run_reference.h"

#include <iterator>
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

// Enough for the ViT's few live activation shapes; older spares are freed.
constexpr std::size_t kMaxSpares = 8;

void GoldenTrace::Drop(int id) {
  if (spares_.size() == kMaxSpares) spares_.erase(spares_.begin());
  spares_.push_back(std::move(values_.at(id)));
  values_.at(id) = Tensor();
  present_.at(id) = false;
}

Tensor GoldenTrace::NewTensor(DType dtype, const std::vector<std::int64_t>& shape) {
  for (auto it = spares_.rbegin(); it != spares_.rend(); ++it) {
    if (it->dtype() == dtype && it->shape() == shape) {
      Tensor t = std::move(*it);
      spares_.erase(std::next(it).base());
      return t;
    }
  }
  return Tensor(dtype, shape);
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
    if (options.profile == nullptr) {
      RunNode(g, g.nodes[i], options.isa, r.trace);
    } else {
      const Node& n = g.nodes[i];
      const int in0 = n.inputs.empty() ? -1 : n.inputs[0];
      const Tensor* first = in0 >= 0 && r.trace.Has(in0) ? &r.trace.Get(in0) : nullptr;
      const std::string key = OpProfile::Key(g, n, first);
      const std::int64_t t0 = OpProfile::ThreadCpuNs();
      RunNode(g, n, options.isa, r.trace);
      OpTime& t = options.profile->by_op[key];
      t.cpu_ns += OpProfile::ThreadCpuNs() - t0;
      ++t.nodes;
    }
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
  if (options.profile != nullptr) ++options.profile->images;
  return r;
}

}  // namespace intvit::model
