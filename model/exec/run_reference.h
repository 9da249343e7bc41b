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
  // Frees a tensor no later node reads (when no trace is kept). Its storage is kept as a spare
  // for NewTensor.
  void Drop(int id);
  // A tensor of `dtype` and `shape` for a node's output: a dropped one of the same dtype and
  // shape when there is one (its contents are stale: the caller must write every element), else
  // a new zero-filled one. Saves the allocation and zero fill per node of a traceless run.
  Tensor NewTensor(DType dtype, const std::vector<std::int64_t>& shape);
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Tensor> values_;
  std::vector<bool> present_;
  std::vector<Tensor> spares_;  // dropped tensors, at most kMaxSpares
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
