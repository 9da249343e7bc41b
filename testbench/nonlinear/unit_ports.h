// Port adapters of the three nonlinear units (rtl/nonlinear/ivit_{shiftmax,gelu,layernorm}.sv)
// for StreamRows (row_stream.h), their configuration inputs, and the latency formulas of the
// module headers. Templated on the Verilated model and the unit's parameters, so the RTL
// backend and every test configuration share one copy.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

#include "model/ops/layer_norm.h"
#include "model/ops/shift_gelu.h"
#include "model/ops/shiftmax.h"
#include "sim/timing/unit_cycles.h"
#include "testbench/common/port_bits.h"

namespace intvit::tb {

// A unit's build parameters (the SystemVerilog Lanes, DivStepsPerCycle, MaxCols).
struct RowUnitShape {
  int lanes = 1;
  int spc = 1;
  int max_cols = 1024;

  std::int64_t Beats(std::int64_t cols) const { return (cols + lanes - 1) / lanes; }
  std::int64_t DivCycles(std::int64_t steps) const { return (steps + spc - 1) / spc; }
  int Lg() const { return std::bit_width(static_cast<unsigned>(max_cols - 1)); }  // $clog2
};

// Latency per the module headers: first input beat to last output beat of one row, with
// back-to-back input, a never-stalled output and (LayerNorm) an always-valid bias. The period
// between consecutive rows' first input beats is latency + 1 for all three.
// The formulas' one home is sim/timing/unit_cycles.h (the TLM model charges them too).
inline sim::RowShape ToRowShape(const RowUnitShape& u) { return {u.lanes, u.spc, u.max_cols}; }
inline std::int64_t ShiftmaxLatency(const RowUnitShape& u, std::int64_t cols) {
  return sim::ShiftmaxRowLatency(ToRowShape(u), cols);
}
inline std::int64_t GeluLatency(const RowUnitShape& u, std::int64_t cols) {
  return sim::GeluRowLatency(ToRowShape(u), cols);
}
inline std::int64_t LayerNormLatency(const RowUnitShape& u, std::int64_t cols, int iters) {
  return sim::LayerNormRowLatency(ToRowShape(u), cols, iters);
}

// Shiftmax and ShiftGELU: int8 lanes in; uint16 (Shiftmax) or int32 (GELU) lanes out.
// Unused input lanes carry `pad`, which the unit must ignore.
template <class Model, int Lanes, int OutW, bool OutSigned, std::uint64_t Pad>
struct Int8RowPorts {
  static constexpr bool kHasSide = false;
  static void SetIn(Model& m, bool valid, const std::int64_t* x, int count, int cols) {
    m.in_valid_i = valid;
    m.cols_i = static_cast<std::remove_reference_t<decltype(m.cols_i)>>(cols);
    for (int j = 0; j < Lanes; ++j) {
      PutBits(m.in_data_i, 8 * j, 8, j < count ? static_cast<std::uint64_t>(x[j]) : Pad + j);
    }
  }
  static bool InReady(Model& m) { return m.in_ready_o; }
  static void SetOutReady(Model& m, bool r) { m.out_ready_i = r; }
  static bool OutValid(Model& m) { return m.out_valid_o; }
  static bool OutLast(Model& m) { return m.out_last_o; }
  static std::int64_t OutLane(Model& m, int j) {
    const std::uint64_t v = GetBits(m.out_data_o, OutW * j, OutW);
    return OutSigned ? SignExtend(v, OutW) : static_cast<std::int64_t>(v);
  }
};
template <class Model, int Lanes>
using ShiftmaxPorts = Int8RowPorts<Model, Lanes, 16, false, 0x5a>;
template <class Model, int Lanes>
using GeluPorts = Int8RowPorts<Model, Lanes, 32, true, 0x77>;

// Shiftmax and ShiftGELU share their configuration ports (x0, n, out_bits, div).
template <class Model, class Params>
void ConfigureShift(Model& m, const Params& p) {
  m.cfg_x0_i = static_cast<std::uint32_t>(p.x0);
  m.cfg_n_i = static_cast<std::uint8_t>(p.n);
  m.cfg_out_bits_i = static_cast<std::uint8_t>(p.out_bits);
  m.cfg_div_i = static_cast<std::uint32_t>(p.div);
}

// I-LayerNorm: int16 lanes in, int64 lanes out, one int64 bias lane per output lane.
template <class Model, int Lanes>
struct LayerNormPorts {
  static constexpr bool kHasSide = true;
  static void SetIn(Model& m, bool valid, const std::int64_t* x, int count, int cols) {
    m.in_valid_i = valid;
    m.cols_i = static_cast<std::remove_reference_t<decltype(m.cols_i)>>(cols);
    for (int j = 0; j < Lanes; ++j) {
      PutBits(m.in_data_i, 16 * j, 16, static_cast<std::uint64_t>(j < count ? x[j] : 0x1234));
    }
  }
  static bool InReady(Model& m) { return m.in_ready_o; }
  static void SetSide(Model& m, bool valid, const std::int64_t* b, int count) {
    m.bias_valid_i = valid;
    for (int j = 0; j < Lanes; ++j) {
      PutBits(m.bias_data_i, 64 * j, 64, static_cast<std::uint64_t>(j < count ? b[j] : -77));
    }
  }
  static bool SideReady(Model& m) { return m.bias_ready_o; }
  static void SetOutReady(Model& m, bool r) { m.out_ready_i = r; }
  static bool OutValid(Model& m) { return m.out_valid_o; }
  static bool OutLast(Model& m) { return m.out_last_o; }
  static std::int64_t OutLane(Model& m, int j) {
    return static_cast<std::int64_t>(GetBits(m.out_data_o, 64 * j, 64));
  }
};

// The LayerNorm configuration ports; bias_int goes through the side stream.
template <class Model>
void ConfigureLayerNorm(Model& m, int sqrt_iters, std::int64_t sqrt_init, std::int64_t div) {
  m.cfg_div_i = static_cast<std::uint32_t>(div);
  m.cfg_sqrt_iters_i = static_cast<std::uint8_t>(sqrt_iters);
  m.cfg_sqrt_init_i = static_cast<std::uint64_t>(sqrt_init);
}

}  // namespace intvit::tb
