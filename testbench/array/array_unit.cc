#include "testbench/array/array_unit.h"

#include <vector>

#include "sim/timing/unit_cycles.h"
#include "testbench/array/array_folds.h"

namespace intvit::tb {

std::int64_t ArrayCyclesFormula(const ArrayGeometry& g, std::span<const GemmProblem> problems) {
  // The formula's one home is sim/timing/unit_cycles.h (the TLM model charges it too).
  std::vector<std::int64_t> rows;
  for (const Fold& f : MakeFolds(g, problems)) rows.push_back(f.rows);
  return sim::ArrayStreamCycles({g.rows, g.cols, g.tile_rows, g.tile_cols}, rows);
}

}  // namespace intvit::tb
