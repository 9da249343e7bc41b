// The Verilated GEMM array (rtl/array/ivit_array.sv) behind a C++ interface: GEMMs of any size
// are cut into weight-stationary folds, streamed back to back as fast as the handshakes allow,
// and accumulated over K the way the accumulator SRAM does. The result is the int32 output and
// the RTL cycle count.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "testbench/common/flow_control.h"

namespace intvit::tb {

// The array's parameters (the SystemVerilog R, C, TR, TC). Any legal geometry has a unit
// (testbench/rtl_units.h): a prebuilt one or one Verilated on first use.
struct ArrayGeometry {
  int rows = 16;  // R: the reduction (K) slice of one fold
  int cols = 16;  // C: the output (N) slice of one fold
  int tile_rows = 1;
  int tile_cols = 1;

  int MeshRows() const { return rows / tile_rows; }
  int MeshCols() const { return cols / tile_cols; }
  // "16x16" or "8x8/t2x2".
  std::string Name() const {
    std::string s = std::to_string(rows) + "x" + std::to_string(cols);
    if (tile_rows != 1 || tile_cols != 1) {
      s += "/t" + std::to_string(tile_rows) + "x" + std::to_string(tile_cols);
    }
    return s;
  }
  friend bool operator==(const ArrayGeometry&, const ArrayGeometry&) = default;
};

// y[m][n] = bias[n] + sum_k a[m][k] * b[k][n], int32. a holds int8 or uint16 values (the
// array's 17-bit signed A path); the sum must stay inside int32 (docs/rtl.md, "Widths").
struct GemmProblem {
  std::int64_t m = 0;
  std::int64_t k = 0;
  std::int64_t n = 0;
  std::span<const std::int32_t> a;     // [M][K]
  std::span<const std::int8_t> b;      // [K][N]
  std::span<const std::int32_t> bias;  // [N], or empty for none
};

struct GemmRun {
  std::vector<std::vector<std::int32_t>> y;  // one [M][N] result per problem
  std::int64_t cycles = 0;                   // first weight beat to last result row, inclusive
  std::int64_t folds = 0;
};

// One Verilated array, reset once when it is made; every Run streams through the same model
// (so one VCD spans many Runs) and counts its cycles from its own first cycle.
class ArrayUnit {
 public:
  virtual ~ArrayUnit() = default;
  virtual ArrayGeometry Geometry() const = 0;
  // The next Run's cycle c is cycle `cycle + c` of the unit's time line (its VCD), and the VCD's
  // instr_index shows `instr_index` from then on. The time line never goes back: a `cycle`
  // before the end of the previous Run starts the Run where that one ended. Without a call,
  // a Run starts where the previous one ended.
  virtual void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) = 0;
  // Runs the problems' folds back to back in one stream: for each problem, for each N block,
  // for each K block, one weight tile and M rows (bias enters with the first K block). Throws
  // std::invalid_argument for inconsistent spans or A values outside int8/uint16, and
  // std::runtime_error if the RTL stops making progress.
  // flow: random input bubbles (the array has no output backpressure).
  virtual GemmRun Run(std::span<const GemmProblem> problems, FlowControl flow = {}) = 0;
};

// The cycle count of Run per docs/rtl.md: R + sum over folds but the last of
// max(M_f, MR + R) + M_last + MR + MC (0 when there are no folds).
std::int64_t ArrayCyclesFormula(const ArrayGeometry& g, std::span<const GemmProblem> problems);

}  // namespace intvit::tb
