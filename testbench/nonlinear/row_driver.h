// The driver of the row units (ivit_shiftmax, ivit_gelu, ivit_layernorm), templated on the unit,
// the Verilated model class and its Lanes: the prebuilt models (testbench/rtl_units.cc) and the
// ones Verilated at run time (testbench/dynamic/row_shim.cc) share this one copy. Header-only and
// calling no function of intvit's libraries.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "testbench/common/verilated_unit.h"
#include "testbench/nonlinear/row_stream.h"
#include "testbench/nonlinear/row_unit.h"
#include "testbench/nonlinear/unit_ports.h"

namespace intvit::tb {

template <RowKind K, class Model, int Lanes>
class RowUnitImpl final : public RowUnit {
 public:
  using Ports = std::conditional_t<
      K == RowKind::kShiftmax, ShiftmaxPorts<Model, Lanes>,
      std::conditional_t<K == RowKind::kGelu, GeluPorts<Model, Lanes>,
                         LayerNormPorts<Model, Lanes>>>;

  RowUnitImpl(RowUnitShape shape, WaveOptions wave) : shape_(shape), unit_(std::move(wave)) {
    if (shape.lanes != Lanes) throw std::invalid_argument("RowUnitImpl: Lanes mismatch");
    unit_.io().in_valid_i = 0;
    unit_.io().out_ready_i = 1;
    if constexpr (K == RowKind::kLayerNorm) unit_.io().bias_valid_i = 0;
    unit_.Reset();
  }
  RowUnitShape Shape() const override { return shape_; }
  void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) override {
    base_ = cycle;
    instr_ = instr_index;
  }

  VectorRun Run(const RowConfig& cfg, std::int64_t cols, std::span<const std::int64_t> x,
                std::span<const std::int64_t> bias) override {
    const std::string unit = std::string("ivit_") + RowKindName(K);
    if (cols < 1 || cols > shape_.max_cols || x.size() % static_cast<std::size_t>(cols) != 0) {
      throw std::invalid_argument(unit + ": " + std::to_string(x.size()) +
                                  " elements are not rows of cols = " + std::to_string(cols) +
                                  " in [1, MaxCols = " + std::to_string(shape_.max_cols) + "]");
    }
    if (K == RowKind::kLayerNorm ? bias.size() != static_cast<std::size_t>(cols) : !bias.empty()) {
      throw std::invalid_argument(unit + ": bias must hold cols values for layernorm, none else");
    }
    if (K == RowKind::kLayerNorm &&
        (cfg.sqrt_init < 0 || cfg.sqrt_init >= (std::int64_t{1} << (32 + shape_.Lg())))) {
      throw std::invalid_argument(unit + ": sqrt_init exceeds the " +
                                  std::to_string(32 + shape_.Lg()) + "-bit Newton register");
    }
    Model& m = unit_.io();
    if constexpr (K == RowKind::kLayerNorm) {
      ConfigureLayerNorm(m, cfg.sqrt_iters, cfg.sqrt_init, cfg.div);
    } else {
      ConfigureShift(m, cfg);
    }
    const Rows rows = SplitRows(std::vector<std::int64_t>(x.begin(), x.end()), cols);
    const Rows side(K == RowKind::kLayerNorm ? rows.size() : 0,
                    std::vector<std::int64_t>(bias.begin(), bias.end()));
    unit_.BeginRun(base_, instr_);
    base_ = instr_ = -1;
    Clocked dut{unit_};
    const std::uint64_t start = dut.cycle();
    RowStream s = StreamRows<Ports>(dut, Lanes, rows, {}, K == RowKind::kLayerNorm ? &side : nullptr);
    if (!s.error.empty()) throw std::runtime_error(unit + ": " + s.error);
    VectorRun run;
    run.cycles = rows.empty() ? 0 : static_cast<std::int64_t>(s.timing.last_out.back() - start) + 1;
    run.y = Flatten(s.out);
    return run;
  }

 private:
  // The Dut interface of StreamRows over the persistent model.
  struct Clocked {
    ClockedUnit<Model>& u;
    Model& m() { return u.io(); }
    void Settle() { u.Eval(); }
    void Edge() { u.Tick(); }
    std::uint64_t cycle() const { return static_cast<std::uint64_t>(u.Cycle()); }
  };

  RowUnitShape shape_;
  ClockedUnit<Model> unit_;
  std::int64_t base_ = -1;
  std::int64_t instr_ = -1;
};

}  // namespace intvit::tb
