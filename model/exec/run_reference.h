// RunReference: the golden executor. Runs a Graph on an int8 image and returns the logits and,
// on request, every tensor the graph produced (the GoldenTrace that the program executor, the
// TLM model and the RTL are checked against).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "model/exec/op_profile.h"
#include "model/graph/graph.h"
#include "model/ops/gemm_isa.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

// Values of the graph's tensors after a run, indexed by tensor id. Constants are not copied:
// their entries stay empty; read them from Graph::params.
class GoldenTrace {
 public:
  GoldenTrace() = default;
  explicit GoldenTrace(std::size_t n) : values_(n), present_(n, false) {}
  bool Has(int id) const { return id >= 0 && id < static_cast<int>(present_.size()) && present_[id]; }
  const Tensor& Get(int id) const;                              // throws std::out_of_range
  const Tensor& Get(const Graph& g, std::string_view name) const;  // by tensor name
  Tensor& Mutable(int id) { return values_.at(id); }
  void Set(int id, Tensor t);
  void Drop(int id);  // frees a tensor no later node reads (when no trace is kept)
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Tensor> values_;
  std::vector<bool> present_;
};

struct RunOptions {
  bool keep_trace = true;  // false: free each activation once its last reader has run
  // GEMM kernel; every choice gives the same bits. Default: the best this CPU supports
  // (INTVIT_GEMM_ISA overrides).
  GemmIsa isa = BestGemmIsa();
  // Called after each node with (nodes done, nodes total); for progress lines.
  std::function<void(std::size_t, std::size_t)> progress;
  // When set, each node's thread CPU time is added here under its op type (costs two clock
  // reads per node; the values computed are the same).
  OpProfile* profile = nullptr;
};

struct RunResult {
  Tensor logits;       // int32 [1, classes], scale s_w[c] * s_x per class (see docs)
  GoldenTrace trace;   // every activation if keep_trace, else only the logits
};

// Throws InputError if `image` does not have the graph's input dtype and shape.
RunResult RunReference(const Graph& g, const Tensor& image, const RunOptions& options = {});

}  // namespace intvit::model
