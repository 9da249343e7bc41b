// SCALE-Sim v2's compute cycles for one GEMM layer, reproduced analytically (docs/timing.md,
// "scalesim mode", cites the SCALE-Sim sources this follows). SCALE-Sim builds per-fold demand
// matrices whose rows are cycles of the array; with no memory stalls its reported
// "Total Cycles" is the 0-based cycle index of the last OFMAP demand row, i.e. the number of
// demand rows minus one.
//
// A GEMM C[M,N] = A[M,K] B[K,N] is SCALE-Sim's layer with ifmap operand matrix [M, K]
// (ofmap pixels x window), filter matrix [K, N] and ofmap [M, N]. Per dataflow, on an R x C
// array (Sr: spatial rows, Sc: spatial columns, T: temporal):
//   os: Sr = M, Sc = N, T = K;  fold rows = R + C + T - 2
//   ws: Sr = K, Sc = N, T = M;  fold rows = 2R + C + T - 2
//   is: Sr = K, Sc = M, T = N;  fold rows = 2R + C + T - 2
//   folds = ceil(Sr / R) * ceil(Sc / C); demand rows = folds * fold rows.
#pragma once

#include <cstdint>
#include <string>

namespace intvit::sim {

struct ScalesimGemm {
  std::int64_t sr = 0, sc = 0, t = 0;
  std::int64_t row_folds = 0, col_folds = 0;
  std::int64_t fold_rows = 0;     // demand-matrix rows per fold
  std::int64_t demand_rows = 0;   // folds * fold_rows: cycles the array is busy
  std::int64_t total_cycles = 0;  // what SCALE-Sim's COMPUTE_REPORT.csv prints: demand_rows - 1
  // SCALE-Sim's "Overall Util %": M*N*K*100 / (total_cycles * R * C).
  double overall_util_pct = 0;
  // SCALE-Sim's "Mapping Efficiency %": mean over folds of used PEs / (R*C) * 100.
  double mapping_efficiency_pct = 0;
};

// dataflow is "ws", "os" or "is"; throws InputError otherwise or for non-positive sizes.
ScalesimGemm ScalesimCompute(const std::string& dataflow, std::int64_t rows_r, std::int64_t cols_c,
                             std::int64_t m, std::int64_t n, std::int64_t k);

}  // namespace intvit::sim
