// OpProfile: CPU time per op type of a golden run (RunOptions::profile), for `intvit run
// --profile` and bench/vit_bench. Measuring only: it never changes a computed value.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "model/graph/graph.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

struct OpTime {
  std::int64_t cpu_ns = 0;  // thread CPU time spent in the nodes of this type
  std::int64_t nodes = 0;   // node executions counted
};

struct OpProfile {
  // Keyed by op type: OpKindName, with requant split by its input dtype ("requant.int32"), since
  // the three kinds of requant differ a lot in cost.
  std::map<std::string, OpTime> by_op;
  std::int64_t images = 0;  // RunReference calls accumulated

  // The thread's CPU clock in ns (CLOCK_THREAD_CPUTIME_ID).
  static std::int64_t ThreadCpuNs();
  // The key a node is counted under.
  static std::string Key(const Graph& g, const Node& n, const Tensor* first_input);
  // A table: op, nodes/image, ms/image, share of the total; ms with two decimals.
  std::string Format() const;
};

}  // namespace intvit::model
