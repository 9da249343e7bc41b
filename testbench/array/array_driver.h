// The driver of the Verilated GEMM array (rtl/array/ivit_array.sv), templated on the model class:
// the prebuilt models (testbench/rtl_units.cc) and the ones Verilated at run time
// (testbench/dynamic/array_shim.cc) instantiate this one copy. Header-only, and it calls no
// function of intvit's libraries, so a unit built at run time needs none of them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/isa/isa_generated.h"
#include "testbench/array/array_folds.h"
#include "testbench/array/array_unit.h"
#include "testbench/common/port_bits.h"
#include "testbench/common/verilated_unit.h"

namespace intvit::tb {

template <typename V>
class ArrayUnitImpl final : public ArrayUnit {
 public:
  // Lane widths of the ports: the ones ivit_isa_pkg gives the RTL (isa.json "datapath").
  static constexpr int kAW = isa::kAW;
  static constexpr int kBW = isa::kBW;
  static constexpr int kAccW = isa::kAccW;

  ArrayUnitImpl(ArrayGeometry g, WaveOptions wave) : g_(g), unit_(std::move(wave)) {
    V& io = unit_.io();
    io.w_valid_i = 0;
    io.a_valid_i = 0;
    io.a_first_i = 0;
    unit_.Reset();
  }
  ArrayGeometry Geometry() const override { return g_; }
  void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) override {
    base_ = cycle;
    instr_ = instr_index;
  }

  GemmRun Run(std::span<const GemmProblem> problems, FlowControl flow) override {
    for (const GemmProblem& q : problems) CheckProblem(q);
    const std::vector<Fold> folds = MakeFolds(g_, problems);
    const int R = g_.rows;
    const int C = g_.cols;

    GemmRun run;
    run.folds = static_cast<std::int64_t>(folds.size());
    run.y.resize(problems.size());
    for (std::size_t p = 0; p < problems.size(); ++p) {
      run.y[p].assign(static_cast<std::size_t>(problems[p].m * problems[p].n), 0);
    }
    if (folds.empty()) return run;

    ClockedUnit<V>& unit = unit_;
    V& io = unit.io();
    unit.BeginRun(base_, instr_);
    base_ = instr_ = -1;
    const std::int64_t start = unit.Cycle();

    // Stream positions: weight beat (fold, row j), A beat (fold, row m), result (fold, row m).
    std::size_t wf = 0, af = 0, yf = 0;
    std::int64_t wj = 0, am = 0, ym = 0;
    std::int64_t packed_w = -1, packed_a = -1;  // the beat currently on the ports
    std::int64_t last_y_cycle = -1;
    // An upper bound of ArrayCyclesFormula (array_unit.cc, outside units built at run time).
    std::int64_t expected = g_.rows + g_.MeshRows() + g_.MeshCols();
    for (const Fold& f : folds) expected += std::max<std::int64_t>(f.rows, g_.MeshRows() + g_.rows);
    const std::int64_t bound = expected * (flow.stall_one_in ? 64 : 2) + 1000;
    Staller stall(flow);

    while (yf < folds.size()) {
      if (wf < folds.size() && !stall()) {
        const std::int64_t id = static_cast<std::int64_t>(wf) * R + wj;
        if (id != packed_w) {
          const Fold& f = folds[wf];
          const GemmProblem& q = problems[f.problem];
          const std::int64_t k = f.kb * R + wj;
          for (int c = 0; c < C; ++c) {
            const std::int64_t n = f.nb * C + c;
            const std::int8_t w = (k < q.k && n < q.n) ? q.b[k * q.n + n] : 0;
            PutBits(io.w_data_i, c * kBW, kBW, static_cast<std::uint8_t>(w));
          }
          packed_w = id;
        }
        io.w_valid_i = 1;
      } else {
        io.w_valid_i = 0;
      }
      if (af < folds.size() && !stall()) {
        const Fold& f = folds[af];
        const std::int64_t id = static_cast<std::int64_t>(af) * (std::int64_t{1} << 32) + am;
        if (id != packed_a) {
          const GemmProblem& q = problems[f.problem];
          for (int r = 0; r < R; ++r) {
            const std::int64_t k = f.kb * R + r;
            const std::int32_t a = k < q.k ? q.a[am * q.k + k] : 0;
            PutBits(io.a_data_i, r * kAW, kAW, static_cast<std::uint32_t>(a));
          }
          for (int c = 0; c < C; ++c) {
            const std::int64_t n = f.nb * C + c;
            const std::int32_t d = (f.kb == 0 && !q.bias.empty() && n < q.n) ? q.bias[n] : 0;
            PutBits(io.d_data_i, c * kAccW, kAccW, static_cast<std::uint32_t>(d));
          }
          packed_a = id;
        }
        io.a_first_i = am == 0;
        io.a_valid_i = 1;
      } else {
        io.a_valid_i = 0;
        io.a_first_i = 0;
      }

      unit.Eval();

      if (io.y_valid_o) {
        const Fold& f = folds[yf];
        const GemmProblem& q = problems[f.problem];
        std::vector<std::int32_t>& y = run.y[f.problem];
        for (int c = 0; c < C; ++c) {
          const std::int64_t n = f.nb * C + c;
          if (n >= q.n) continue;
          const auto v = static_cast<std::uint32_t>(GetBits(io.y_data_o, c * kAccW, kAccW));
          auto& acc = y[ym * q.n + n];
          // The accumulator adds modulo 2^32, as the hardware does.
          acc = static_cast<std::int32_t>((f.kb == 0 ? 0u : static_cast<std::uint32_t>(acc)) + v);
        }
        last_y_cycle = unit.Cycle() - start;
        if (++ym == f.rows) {
          ym = 0;
          ++yf;
        }
      }
      const bool w_take = io.w_valid_i && io.w_ready_o;
      const bool a_take = io.a_valid_i && io.a_ready_o;
      unit.Tick();
      if (w_take && ++wj == R) {
        wj = 0;
        ++wf;
      }
      if (a_take && ++am == folds[af].rows) {
        am = 0;
        ++af;
      }
      if (unit.Cycle() - start > bound) {
        throw std::runtime_error("ivit_array " + g_.Name() + ": no progress after " +
                                 std::to_string(unit.Cycle() - start) + " cycles");
      }
    }
    run.cycles = last_y_cycle + 1;
    return run;
  }

 private:
  ArrayGeometry g_;
  ClockedUnit<V> unit_;
  std::int64_t base_ = -1;
  std::int64_t instr_ = -1;
};

}  // namespace intvit::tb
