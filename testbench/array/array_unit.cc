#include "testbench/array/array_unit.h"

#include <algorithm>
#include <stdexcept>

#include "Vivit_array_16x16.h"
#include "Vivit_array_4x4.h"
#include "Vivit_array_8x8_t2x2.h"
#include "compiler/isa/isa_generated.h"
#include "testbench/common/port_bits.h"
#include "testbench/common/verilated_unit.h"

namespace intvit::tb {
namespace {

// Lane widths of the array's ports: the ones ivit_isa_pkg gives the RTL (isa.json "datapath").
using isa::kAccW;
using isa::kAW;
using isa::kBW;

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One weight tile and the A rows that use it.
struct Fold {
  std::size_t problem = 0;
  std::int64_t nb = 0;  // N block
  std::int64_t kb = 0;  // K block
  std::int64_t rows = 0;
};

std::vector<Fold> MakeFolds(const ArrayGeometry& g, std::span<const GemmProblem> problems) {
  std::vector<Fold> folds;
  for (std::size_t p = 0; p < problems.size(); ++p) {
    const GemmProblem& q = problems[p];
    if (q.m <= 0 || q.n <= 0) continue;
    // K = 0 still takes one fold of zero weights: it carries the bias through to y.
    const std::int64_t kblocks = std::max<std::int64_t>(1, CeilDiv(q.k, g.rows));
    for (std::int64_t nb = 0; nb < CeilDiv(q.n, g.cols); ++nb) {
      for (std::int64_t kb = 0; kb < kblocks; ++kb) folds.push_back({p, nb, kb, q.m});
    }
  }
  return folds;
}

void CheckProblem(const GemmProblem& q) {
  if (q.m < 0 || q.k < 0 || q.n < 0 || static_cast<std::int64_t>(q.a.size()) != q.m * q.k ||
      static_cast<std::int64_t>(q.b.size()) != q.k * q.n ||
      !(q.bias.empty() || static_cast<std::int64_t>(q.bias.size()) == q.n)) {
    throw std::invalid_argument("GemmProblem: spans do not match the shape");
  }
  for (std::int32_t v : q.a) {
    if (v < -128 || v > 65535) {
      throw std::invalid_argument("GemmProblem: A value " + std::to_string(v) +
                                  " is neither int8 nor uint16");
    }
  }
}

template <typename V>
class ArrayUnitImpl final : public ArrayUnit {
 public:
  ArrayUnitImpl(ArrayGeometry g, std::string wave) : g_(g), wave_(std::move(wave)) {}
  ArrayGeometry Geometry() const override { return g_; }

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

    ClockedUnit<V> unit(wave_);
    V& io = unit.io();
    io.w_valid_i = 0;
    io.a_valid_i = 0;
    io.a_first_i = 0;
    unit.Reset();

    // Stream positions: weight beat (fold, row j), A beat (fold, row m), result (fold, row m).
    std::size_t wf = 0, af = 0, yf = 0;
    std::int64_t wj = 0, am = 0, ym = 0;
    std::int64_t packed_w = -1, packed_a = -1;  // the beat currently on the ports
    std::int64_t last_y_cycle = -1;
    const std::int64_t bound =
        ArrayCyclesFormula(g_, problems) * (flow.stall_one_in ? 64 : 2) + 1000;
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
        last_y_cycle = unit.Cycle();
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
      if (unit.Cycle() > bound) {
        throw std::runtime_error("ivit_array " + g_.Name() + ": no progress after " +
                                 std::to_string(unit.Cycle()) + " cycles");
      }
    }
    run.cycles = last_y_cycle + 1;
    return run;
  }

 private:
  ArrayGeometry g_;
  std::string wave_;
};

}  // namespace

std::string ArrayGeometry::Name() const {
  std::string s = std::to_string(rows) + "x" + std::to_string(cols);
  if (tile_rows != 1 || tile_cols != 1) {
    s += "/t" + std::to_string(tile_rows) + "x" + std::to_string(tile_cols);
  }
  return s;
}

std::vector<ArrayGeometry> BuiltArrayGeometries() {
  return {{4, 4, 1, 1}, {16, 16, 1, 1}, {8, 8, 2, 2}};
}

std::unique_ptr<ArrayUnit> MakeArrayUnit(const ArrayGeometry& g, const std::string& wave_path) {
  if (g == ArrayGeometry{4, 4, 1, 1}) {
    return std::make_unique<ArrayUnitImpl<Vivit_array_4x4>>(g, wave_path);
  }
  if (g == ArrayGeometry{16, 16, 1, 1}) {
    return std::make_unique<ArrayUnitImpl<Vivit_array_16x16>>(g, wave_path);
  }
  if (g == ArrayGeometry{8, 8, 2, 2}) {
    return std::make_unique<ArrayUnitImpl<Vivit_array_8x8_t2x2>>(g, wave_path);
  }
  return nullptr;
}

std::int64_t ArrayCyclesFormula(const ArrayGeometry& g, std::span<const GemmProblem> problems) {
  const std::vector<Fold> folds = MakeFolds(g, problems);
  if (folds.empty()) return 0;
  const std::int64_t period_min = g.MeshRows() + g.rows;
  std::int64_t cycles = g.rows;
  for (std::size_t f = 0; f + 1 < folds.size(); ++f) cycles += std::max(folds[f].rows, period_min);
  return cycles + folds.back().rows + g.MeshRows() + g.MeshCols();
}

}  // namespace intvit::tb
