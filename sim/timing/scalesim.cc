#include "sim/timing/scalesim.h"

#include "model/common/error.h"
#include "sim/timing/timing_model.h"

namespace intvit::sim {

ScalesimGemm ScalesimCompute(const std::string& dataflow, std::int64_t r, std::int64_t c,
                             std::int64_t m, std::int64_t n, std::int64_t k) {
  Require(r > 0 && c > 0 && m > 0 && n > 0 && k > 0,
          "scalesim: array and GEMM sizes must be positive");
  ScalesimGemm g;
  if (dataflow == "os") {
    g.sr = m, g.sc = n, g.t = k;
    g.fold_rows = r + c + g.t - 2;
  } else if (dataflow == "ws") {
    g.sr = k, g.sc = n, g.t = m;
    g.fold_rows = 2 * r + c + g.t - 2;
  } else if (dataflow == "is") {
    g.sr = k, g.sc = m, g.t = n;
    g.fold_rows = 2 * r + c + g.t - 2;
  } else {
    throw InputError("scalesim: unknown dataflow '" + dataflow + "' (known: ws, os, is)");
  }
  g.row_folds = CeilDiv(g.sr, r);
  g.col_folds = CeilDiv(g.sc, c);
  g.demand_rows = g.row_folds * g.col_folds * g.fold_rows;
  g.total_cycles = g.demand_rows - 1;
  const double macs = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  g.overall_util_pct =
      g.total_cycles > 0 ? macs * 100.0 / (static_cast<double>(g.total_cycles) * r * c) : 0.0;
  // Folds use min(R, rows left) x min(C, cols left) PEs; the mean over all folds.
  double used = 0;
  for (std::int64_t fr = 0; fr < g.row_folds; ++fr) {
    const std::int64_t rows_used = std::min(r, g.sr - fr * r);
    for (std::int64_t fc = 0; fc < g.col_folds; ++fc) {
      used += static_cast<double>(rows_used * std::min(c, g.sc - fc * c));
    }
  }
  g.mapping_efficiency_pct =
      used * 100.0 / (static_cast<double>(g.row_folds * g.col_folds) * r * c);
  return g;
}

}  // namespace intvit::sim
