// The test harness shared by Shiftmax and ShiftGELU (shiftmax_tb.cc, gelu_tb.cc): both take
// int8 rows and the parameters (x0, n, out_bits, div), so their checks differ only in the
// golden op, the output lane and the latency formula, which a Traits class supplies:
//   using Params, Plan;  using Out (golden output element);  static constexpr const char* kOp;
//   template <class M, int L> using Ports;  static void CheckParams(const Params&);
//   static void Golden(const Params&, std::int64_t cols, span<const int8_t>, span<Out>);
//   static std::int64_t Latency(const RowUnitShape&, std::int64_t cols);
// Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, IVIT_TB_MAXCOLS).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "testbench/nonlinear/tb_common.h"
#include "testbench/nonlinear/unit_ports.h"

namespace intvit::tb {

template <class Traits, class Model, int Lanes, int Spc, int MaxCols>
struct ShiftRowBench {
  using Params = typename Traits::Params;
  using Ports = typename Traits::template Ports<Model, Lanes>;
  static constexpr RowUnitShape kShape{.lanes = Lanes, .spc = Spc, .max_cols = MaxCols};

  static std::int64_t Latency(std::int64_t cols) { return Traits::Latency(kShape, cols); }

  static bool IsLegal(const Params& p) { return Legal(p, Traits::CheckParams); }

  static std::vector<std::int64_t> Golden(const Params& p, const Rows& rows) {
    std::vector<std::int64_t> y;
    for (const auto& row : rows) {
      std::vector<std::int8_t> x(row.begin(), row.end());
      std::vector<typename Traits::Out> out(row.size());
      Traits::Golden(p, static_cast<std::int64_t>(row.size()), x, out);
      y.insert(y.end(), out.begin(), out.end());
    }
    return y;
  }

  // Runs rows through a fresh unit (random initial state), returns them with their timing.
  static Rows Run(const Params& p, const Rows& rows, const Stalls& stalls, RowTiming* t) {
    Dut<Model> dut;
    ConfigureShift(dut.m(), p);
    return RunRows<Ports>(dut, Lanes, rows, stalls, t);
  }

  // Compares with the golden op (and, without stalls, the latency formula). Returns the
  // mismatch count.
  static std::size_t Check(const std::string& what, const Params& p, const Rows& rows,
                           const Stalls& stalls = {}, bool check_timing = true) {
    RowTiming t;
    const Rows got = Run(p, rows, stalls, &t);
    if (check_timing && stalls.in_gap_pct == 0 && stalls.out_block_pct == 0) {
      ExpectTiming(t, rows, Latency);
    }
    return ExpectSameValues(what, Flatten(got), Golden(p, rows),
                            static_cast<std::int64_t>(rows.front().size()));
  }

  // Every committed case of the op: the expected y, the golden op and the RTL agree, and every
  // row takes the documented cycles.
  static void VectorCases(std::size_t min_cases) {
    const auto dirs = FindCases(Traits::kOp);
    ASSERT_GE(dirs.size(), min_cases);
    for (const auto& dir : dirs) {
      const PlannedCase pc = ReadPlannedCase(dir);
      const auto& plan = std::get<typename Traits::Plan>(pc.plan.op);
      const std::int64_t cols = plan.cols;
      ASSERT_LE(cols, MaxCols) << pc.name;
      const Rows rows = SplitRows(pc.c.inputs.at("x").values, cols);
      RowTiming t;
      const Rows got = Run(plan.params, rows, {}, &t);
      ExpectTiming(t, rows, Latency);
      const std::vector<std::int64_t>& want = pc.c.outputs.at("y").values;
      const std::size_t bad = ExpectSameValues(pc.name, Flatten(got), want, cols);
      EXPECT_EQ(ExpectSameValues(pc.name + " (golden)", Golden(plan.params, rows), want, cols), 0u);
      std::printf("[ case ] %-48s rows %3zu cols %4lld  mismatches %zu  cycles/row %lld\n",
                  pc.name.c_str(), rows.size(), static_cast<long long>(cols), bad,
                  static_cast<long long>(t.last_out[0] - t.first_in[0]));
    }
  }

  // Latency and period of `rows` equal rows of random int8 of `cols` columns, printed.
  static void DeitRow(const Params& p, std::int64_t cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Rows rows(3, std::vector<std::int64_t>(static_cast<std::size_t>(cols)));
    for (auto& row : rows) {
      for (auto& v : row) v = static_cast<std::int8_t>(rng());
    }
    RowTiming t;
    const Rows got = Run(p, rows, {}, &t);
    ExpectTiming(t, rows, Latency);
    EXPECT_EQ(ExpectSameValues("deit", Flatten(got), Golden(p, rows), cols), 0u);
    std::printf("[ cycles ] %s lanes %d div-steps/cycle %d cols %lld: latency %lld, period %lld\n",
                Traits::kOp, Lanes, Spc, static_cast<long long>(cols),
                static_cast<long long>(t.last_out[0] - t.first_in[0]),
                static_cast<long long>(t.first_in[1] - t.first_in[0]));
  }
};

}  // namespace intvit::tb
