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

// The array's parameters. Only the geometries in BuiltArrayGeometries() have a Verilated model.
struct ArrayGeometry {
  int rows = 16;  // R: the reduction (K) slice of one fold
  int cols = 16;  // C: the output (N) slice of one fold
  int tile_rows = 1;
  int tile_cols = 1;

  int MeshRows() const { return rows / tile_rows; }
  int MeshCols() const { return cols / tile_cols; }
  std::string Name() const;  // "16x16" or "8x8/t2x2"
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

class ArrayUnit {
 public:
  virtual ~ArrayUnit() = default;
  virtual ArrayGeometry Geometry() const = 0;
  // Runs the problems' folds back to back in one stream: for each problem, for each N block,
  // for each K block, one weight tile and M rows (bias enters with the first K block). Throws
  // std::invalid_argument for inconsistent spans or A values outside int8/uint16, and
  // std::runtime_error if the RTL stops making progress.
  // flow: random input bubbles (the array has no output backpressure).
  virtual GemmRun Run(std::span<const GemmProblem> problems, FlowControl flow = {}) = 0;
};

// The geometries with a Verilated model in this build: 4x4, 16x16 and 8x8 with 2x2 tiles.
std::vector<ArrayGeometry> BuiltArrayGeometries();

// A unit of the given geometry, or nullptr if none is built. wave_path: VCD of every Run.
std::unique_ptr<ArrayUnit> MakeArrayUnit(const ArrayGeometry& g, const std::string& wave_path = "");

// The cycle count of Run per docs/rtl.md: R + sum over folds but the last of
// max(M_f, MR + R) + M_last + MR + MC (0 when there are no folds).
std::int64_t ArrayCyclesFormula(const ArrayGeometry& g, std::span<const GemmProblem> problems);

}  // namespace intvit::tb
