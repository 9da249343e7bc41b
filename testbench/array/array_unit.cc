#include "testbench/array/array_unit.h"

#include <algorithm>

#include "testbench/array/array_folds.h"

namespace intvit::tb {

std::int64_t ArrayCyclesFormula(const ArrayGeometry& g, std::span<const GemmProblem> problems) {
  const std::vector<Fold> folds = MakeFolds(g, problems);
  if (folds.empty()) return 0;
  const std::int64_t period_min = g.MeshRows() + g.rows;
  std::int64_t cycles = g.rows;
  for (std::size_t f = 0; f + 1 < folds.size(); ++f) cycles += std::max(folds[f].rows, period_min);
  return cycles + folds.back().rows + g.MeshRows() + g.MeshCols();
}

}  // namespace intvit::tb
