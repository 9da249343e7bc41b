// The cycle formulas of the compute units, derived from their RTL (rtl/, docs/rtl.md,
// docs/rtl_nonlinear.md) and stated once here. The TLM model (DetailedGemm, DetailedVector in
// timing_model.h) charges them per instruction; the RTL testbenches and the co-simulation check
// the Verilated units against them exactly. Header-only and free of SystemC and of intvit's
// libraries, so the Verilated units' drivers, including those built on first use into a shared
// object, can use them too.
//
// Cycles count from a unit's first input beat (the array: its first weight beat) to its last
// output beat, inclusive, with the unit driven as fast as its handshakes allow and its outputs
// never stalled.
#pragma once

#include <bit>
#include <cstdint>
#include <span>

namespace intvit::sim {

constexpr std::int64_t UnitCeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// ---- The weight-stationary array (rtl/array/ivit_array.sv) --------------------------------------
// R x C PEs in tiles of TR x TC; the mesh has MR = R / TR rows and MC = C / TC columns of tiles,
// one pipeline stage each. Weight tiles are double-buffered, so consecutive folds overlap.
struct ArrayShape {
  std::int64_t rows = 16, cols = 16, tile_rows = 1, tile_cols = 1;
  constexpr std::int64_t MeshRows() const { return rows / tile_rows; }
  constexpr std::int64_t MeshCols() const { return cols / tile_cols; }
  // Pipeline latency of one A row: skew, mesh, output register, de-skew.
  constexpr std::int64_t Latency() const { return MeshRows() + MeshCols(); }
};

// A stream of folds with fold_rows[f] A rows each:
//   R + sum_{f < F-1} max(M_f, MR + R) + M_{F-1} + MR + MC        (0 for no folds)
// R: the first tile loads before any row commits; max(M_f, MR + R): the period between the first
// rows of consecutive folds (the next tile may start loading MR cycles after a commit and takes R
// beats); then the last fold's rows and the pipeline latency.
inline std::int64_t ArrayStreamCycles(const ArrayShape& a,
                                      std::span<const std::int64_t> fold_rows) {
  if (fold_rows.empty()) return 0;
  std::int64_t cycles = a.rows;
  for (std::size_t f = 0; f + 1 < fold_rows.size(); ++f) {
    const std::int64_t period = a.MeshRows() + a.rows;
    cycles += fold_rows[f] > period ? fold_rows[f] : period;
  }
  return cycles + fold_rows.back() + a.Latency();
}

// Folds of one GEMM of M rows, K reduction and N columns: ceil(K / R) * ceil(N / C), with K = 0
// taking one fold of zero weights (it carries the bias or the accumulator through); none when M or
// N is 0.
constexpr std::int64_t ArrayGemmFolds(const ArrayShape& a, std::int64_t k, std::int64_t n) {
  const std::int64_t kb = k <= 0 ? 1 : UnitCeilDiv(k, a.rows);
  return n <= 0 ? 0 : kb * UnitCeilDiv(n, a.cols);
}

// One GEMM on its own: R + (F - 1) * max(M, MR + R) + M + MR + MC.
constexpr std::int64_t ArrayGemmCycles(const ArrayShape& a, std::int64_t m, std::int64_t k,
                                       std::int64_t n) {
  const std::int64_t folds = m <= 0 ? 0 : ArrayGemmFolds(a, k, n);
  if (folds == 0) return 0;
  const std::int64_t period = a.MeshRows() + a.rows;
  return a.rows + (folds - 1) * (m > period ? m : period) + m + a.Latency();
}

// ---- Requant (rtl/nonlinear/ivit_requant.sv) and add (ivit_add.sv) ------------------------------
// Requant: one beat is `lanes` consecutive channels of one row; a 3-stage pipeline.
inline constexpr std::int64_t kRequantPipeline = 3;
constexpr std::int64_t RequantCycles(std::int64_t lanes, std::int64_t rows, std::int64_t cols) {
  return rows <= 0 || cols <= 0 ? 0 : rows * UnitCeilDiv(cols, lanes) + kRequantPipeline;
}
// Add: the elements in order, `lanes` per beat; one register stage.
inline constexpr std::int64_t kAddPipeline = 1;
constexpr std::int64_t AddCycles(std::int64_t lanes, std::int64_t elements) {
  return elements <= 0 ? 0 : UnitCeilDiv(elements, lanes) + kAddPipeline;
}

// ---- The row units (ivit_shiftmax.sv, ivit_gelu.sv, ivit_layernorm.sv) ------------------------
// lanes elements per beat; the divider (rtl/prim/ivit_udiv.sv) forms bits_per_cycle quotient
// bits per cycle; rows of at most max_cols columns. One row at a time: the next row's first beat
// is accepted the cycle after the current row's last output beat, so `rows` rows take
// rows * (latency + 1) cycles.
struct RowShape {
  std::int64_t lanes = 8, bits_per_cycle = 4, max_cols = 4096;
  constexpr std::int64_t Beats(std::int64_t cols) const { return UnitCeilDiv(cols, lanes); }
  constexpr std::int64_t DivCycles(std::int64_t steps) const {
    return UnitCeilDiv(steps, bits_per_cycle);
  }
  // $clog2(max_cols): the extra bits of LayerNorm's sum and variance.
  constexpr std::int64_t Lg() const {
    return max_cols <= 1 ? 0 : std::bit_width(static_cast<std::uint64_t>(max_cols - 1));
  }
};

// Latency of one row: load with running max, sum of exponentials, one divide, output.
constexpr std::int64_t ShiftmaxRowLatency(const RowShape& u, std::int64_t cols) {
  return 3 * u.Beats(cols) + u.DivCycles(32) + 6;
}
// Load, then one pass in which every beat waits for its `lanes` dividers (one per element).
constexpr std::int64_t GeluRowLatency(const RowShape& u, std::int64_t cols) {
  return u.Beats(cols) * (u.DivCycles(32) + 2) + 2;
}
// Load with sum, variance, output; one divider runs the mean divide, `iters` Newton divides and
// div / k, each for the quotient bits its dividend can have.
constexpr std::int64_t LayerNormRowLatency(const RowShape& u, std::int64_t cols,
                                           std::int64_t iters) {
  return 3 * u.Beats(cols) + u.DivCycles(16 + u.Lg()) + iters * (u.DivCycles(32 + u.Lg()) + 1) +
         u.DivCycles(32) + 8;
}
constexpr std::int64_t RowUnitCycles(std::int64_t rows, std::int64_t row_latency) {
  return rows <= 0 ? 0 : rows * (row_latency + 1);
}

}  // namespace intvit::sim
