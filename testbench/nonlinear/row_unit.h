// The row units (ivit_shiftmax, ivit_gelu, ivit_layernorm) behind one C++ interface, for the RTL
// backend and the co-simulation. Made by MakeRowUnit (testbench/rtl_units.h); the driver is
// row_driver.h.
#pragma once

#include <cstdint>
#include <span>

#include "testbench/nonlinear/unit_ports.h"
#include "testbench/vector_units/vector_units.h"

namespace intvit::tb {

enum class RowKind { kShiftmax, kGelu, kLayerNorm };

// "shiftmax", "gelu", "layernorm" (the RTL module is ivit_<name>).
constexpr const char* RowKindName(RowKind k) {
  return k == RowKind::kShiftmax ? "shiftmax" : k == RowKind::kGelu ? "gelu" : "layernorm";
}

// The units' cfg_* ports as plain values. Shiftmax and GELU use x0, n, out_bits and div;
// LayerNorm uses div, sqrt_iters and sqrt_init (its bias_int goes with Run). The legal values are
// the golden ops' Check*Params.
struct RowConfig {
  std::int64_t x0 = 0;
  int n = 0;
  int out_bits = 0;
  std::int64_t div = 0;
  int sqrt_iters = 0;
  std::int64_t sqrt_init = 0;
};

// One Verilated row unit, reset once when it is made; see ArrayUnit for the time line.
class RowUnit {
 public:
  virtual ~RowUnit() = default;
  virtual RowUnitShape Shape() const = 0;
  virtual void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) = 0;
  // Rows of `cols` elements back to back (x.size() a multiple of cols, cols in [1, MaxCols]);
  // LayerNorm: `bias` holds the cols bias_int values used for every row. Cycles: first input
  // beat to last output beat, inclusive: rows * (latency + 1) for rows back to back. Throws
  // std::invalid_argument for spans that do not fit, std::runtime_error if the RTL breaks its
  // stream protocol.
  virtual VectorRun Run(const RowConfig& cfg, std::int64_t cols, std::span<const std::int64_t> x,
                        std::span<const std::int64_t> bias = {}) = 0;
};

}  // namespace intvit::tb
