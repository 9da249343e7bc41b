// How ArrayUnit cuts GEMMs into weight-stationary folds, and the checks of its input. Header-only:
// the driver (array_driver.h, also compiled into units Verilated at run time) and the cycle
// formula (array_unit.cc) share it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "testbench/array/array_unit.h"

namespace intvit::tb {

inline std::int64_t ArrayCeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One weight tile and the A rows that use it.
struct Fold {
  std::size_t problem = 0;
  std::int64_t nb = 0;  // N block
  std::int64_t kb = 0;  // K block
  std::int64_t rows = 0;
};

inline std::vector<Fold> MakeFolds(const ArrayGeometry& g, std::span<const GemmProblem> problems) {
  std::vector<Fold> folds;
  for (std::size_t p = 0; p < problems.size(); ++p) {
    const GemmProblem& q = problems[p];
    if (q.m <= 0 || q.n <= 0) continue;
    // K = 0 still takes one fold of zero weights: it carries the bias through to y.
    const std::int64_t kblocks = std::max<std::int64_t>(1, ArrayCeilDiv(q.k, g.rows));
    for (std::int64_t nb = 0; nb < ArrayCeilDiv(q.n, g.cols); ++nb) {
      for (std::int64_t kb = 0; kb < kblocks; ++kb) folds.push_back({p, nb, kb, q.m});
    }
  }
  return folds;
}

inline void CheckProblem(const GemmProblem& q) {
  if (q.m < 0 || q.k < 0 || q.n < 0 || static_cast<std::int64_t>(q.a.size()) != q.m * q.k ||
      static_cast<std::int64_t>(q.b.size()) != q.k * q.n ||
      !(q.bias.empty() || static_cast<std::int64_t>(q.bias.size()) == q.n)) {
    throw std::invalid_argument("GemmProblem: spans do not match the shape");
  }
  for (std::int32_t v : q.a) {
    if (v < -128 || v > 65535) {
      throw std::invalid_argument("GemmProblem: A value " + std::to_string(v) +
                                  " is neither int8 nor uint16");
    }
  }
}

}  // namespace intvit::tb
