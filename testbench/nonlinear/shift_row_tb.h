// The test harness shared by Shiftmax and ShiftGELU (shiftmax_tb.cc, gelu_tb.cc): both take
// int8 rows and the parameters (x0, n, out_bits, div), so their checks differ only in the
// golden op, the output lane and the latency formula, which a Traits class supplies
// (ShiftmaxTraits and GeluTraits below):
//   using Params, Plan;  using Out (golden output element);  static constexpr const char* kOp;
//   template <class M, int L> using Ports;  CheckParams(const Params&);
//   Golden(const Params&, std::int64_t cols, span<const int8_t>, span<Out>);
//   Latency(const RowUnitShape&, std::int64_t cols)  (functions or function pointers).
// The test bodies both units run (maxima sweep, parameter corners, random rows with stalls)
// are ShiftRowBench members; each test file chooses their sizes and seeds.
// Built once per configuration (IVIT_TB_MODEL, IVIT_TB_LANES, IVIT_TB_SPC, IVIT_TB_MAXCOLS).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "model/ops/shift_gelu.h"
#include "model/ops/shiftmax.h"
#include "testbench/nonlinear/tb_common.h"
#include "testbench/nonlinear/unit_ports.h"

namespace intvit::tb {

// The types of a Shiftmax-like op; the traits below add its name and functions.
template <class P, class PlanT, class OutT, template <class, int> class PortsT>
struct ShiftOpTypes {
  using Params = P;
  using Plan = PlanT;
  using Out = OutT;
  template <class M, int L>
  using Ports = PortsT<M, L>;
};

struct ShiftmaxTraits
    : ShiftOpTypes<model::ShiftmaxParams, model::ShiftmaxPlan, std::uint16_t, ShiftmaxPorts> {
  static constexpr const char* kOp = "shiftmax";
  static constexpr auto CheckParams = &model::CheckShiftmaxParams;
  static constexpr auto Golden = &model::Shiftmax;
  static constexpr auto Latency = &ShiftmaxLatency;
};

struct GeluTraits
    : ShiftOpTypes<model::ShiftGeluParams, model::ShiftGeluPlan, std::int32_t, GeluPorts> {
  static constexpr const char* kOp = "shiftgelu";
  static constexpr auto CheckParams = &model::CheckShiftGeluParams;
  static constexpr auto Golden = &model::ShiftGelu;
  static constexpr auto Latency = &GeluLatency;
};

// How RandomRowsWithStalls draws its trials (the seed fixes every value).
struct RandomRowsSpec {
  std::uint64_t seed = 1;
  int trials = 1;
  int rows = 1;             // rows per trial
  std::int64_t x0_span = 1; // x0 uniform in [-x0_span, -1]
  int max_cols = 1;         // row length uniform in [1, max_cols]
  int (*out_bits)(int trial) = nullptr;  // out_bits of a trial; nullptr keeps the default
};

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

  // Every int8 value below several row maxima: rows [xm, xm-1, ..., -128] for each xm in
  // `maxima`, for each x0 and both DIV constants, at the given n and out_bits.
  static void EveryInt8BelowMaxima(std::initializer_list<std::int64_t> x0s,
                                   std::initializer_list<std::int64_t> maxima, int n,
                                   int out_bits) {
    for (const std::int64_t div : {model::kDivDefault, model::kDivFloat32}) {
      for (const std::int64_t x0 : x0s) {
        const Params p{.x0 = x0, .n = n, .out_bits = out_bits, .div = div};
        ASSERT_TRUE(IsLegal(p)) << x0;
        Rows rows;
        for (const std::int64_t xm : maxima) {
          std::vector<std::int64_t> row;
          for (std::int64_t v = xm; v >= -128; --v) row.push_back(v);
          rows.push_back(row);
        }
        EXPECT_EQ(Check("x0 " + std::to_string(x0) + " div " + std::to_string(div), p, rows), 0u);
      }
    }
  }

  // Every legal combination of x0 (1, 2, 7, 300, 65535, 2^31 below zero), n in ns, out_bits in
  // bs and DIV in {1, 1000, 2^31 - 1, 2^31}: two random int8 rows of 1..max_cols columns, the
  // second starting with `pinned`; values only (timing is the other tests'). Expects more than
  // min_runs legal combinations.
  static void ParameterCorners(std::uint64_t seed, std::initializer_list<int> ns,
                               std::initializer_list<int> bs, int max_cols, std::int64_t pinned,
                               int min_runs) {
    std::mt19937_64 rng(seed);
    int runs = 0;
    const std::int64_t x0s[] = {-1, -2, -7, -300, -65535, -2147483648LL};
    for (const std::int64_t x0 : x0s) {
      for (const int n : ns) {
        for (const int b : bs) {
          for (const std::int64_t div :
               {std::int64_t{1}, std::int64_t{1000}, model::kDivDefault, model::kDivFloat32}) {
            const Params p{.x0 = x0, .n = n, .out_bits = b, .div = div};
            if (!IsLegal(p)) continue;
            Rows rows(2);
            for (auto& row : rows) {
              const int cols = 1 + static_cast<int>(rng() % max_cols);
              for (int c = 0; c < cols; ++c) row.push_back(static_cast<std::int8_t>(rng()));
            }
            rows[1][0] = pinned;
            EXPECT_EQ(Check("corner", p, rows, {}, false), 0u)
                << "x0 " << x0 << " n " << n << " B " << b << " div " << div;
            ++runs;
          }
        }
      }
    }
    EXPECT_GT(runs, min_runs);
  }

  // Seeded random rows of random lengths, clustered around a random base, with random input
  // gaps (30 %) and output back-pressure (40 %); DIV alternates between the two constants.
  static void RandomRowsWithStalls(const RandomRowsSpec& spec) {
    std::mt19937_64 rng(spec.seed);
    for (int trial = 0; trial < spec.trials; ++trial) {
      Params p;
      p.x0 = -1 - static_cast<std::int64_t>(rng() % spec.x0_span);
      if (spec.out_bits != nullptr) p.out_bits = spec.out_bits(trial);
      p.div = (trial % 2) ? model::kDivFloat32 : model::kDivDefault;
      Rows rows(spec.rows);
      for (auto& row : rows) {
        const int cols = 1 + static_cast<int>(rng() % spec.max_cols);
        const int spread = 1 + static_cast<int>(rng() % 256);
        const int base = static_cast<int>(rng() % 256) - 128;
        for (int c = 0; c < cols; ++c) {
          row.push_back(
              std::clamp(base + static_cast<int>(rng() % spread) - spread / 2, -128, 127));
        }
      }
      const Stalls stalls{.in_gap_pct = 30, .out_block_pct = 40, .seed = rng()};
      EXPECT_EQ(Check("random trial " + std::to_string(trial), p, rows, stalls), 0u);
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
