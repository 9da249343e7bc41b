// rtl/nonlinear primitives against the golden arithmetic: ivit_shift_exp (both variants)
// exhaustively over its t range for many x0 and every n, and ivit_udiv on random operands
// with stalls, including its latency and throughput.
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vnl_shift_exp_neg.h"
#include "Vnl_shift_exp_pos.h"
#include "Vnl_udiv_w42s3.h"
#include "model/arith/shift_exp.h"
#include "testbench/nonlinear/tb_common.h"

namespace intvit::tb {
namespace {

std::vector<std::int64_t> X0Set() {
  std::vector<std::int64_t> x0 = {-1, -2, -3, -5, -7, -12, -13, -16, -47, -100, -128, -250,
                                  -255, -256, -257, -294, -300, -367, -368, -500, -511, -512,
                                  -513, -1000, -1176, -4096, -131071, -(1 << 20), -(1 << 30),
                                  -2147483647, -2147483648LL};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 60; ++i) x0.push_back(-1 - static_cast<std::int64_t>(rng() % 2000));
  for (int i = 0; i < 30; ++i) {
    x0.push_back(-1 - static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 31)));
  }
  return x0;
}

template <class Model>
void SweepShiftExp(std::int64_t t_min, std::int64_t t_max) {
  VerilatedContext ctx;
  Model m(&ctx);
  std::size_t checked = 0, bad = 0;
  for (const std::int64_t x0 : X0Set()) {
    for (int n = 0; n <= 30; ++n) {
      for (std::int64_t t = t_min; t <= t_max; ++t) {
        m.t_i = static_cast<std::uint16_t>(t & 0x1ff);
        m.x0_i = static_cast<std::uint32_t>(x0);
        m.n_i = static_cast<std::uint8_t>(n);
        m.eval();
        const auto want = static_cast<std::uint64_t>(model::ShiftExpSaturating(t, x0, n));
        ++checked;
        if (m.e_o != want && bad++ < 5) {
          ADD_FAILURE() << "t " << t << " x0 " << x0 << " n " << n << ": rtl " << m.e_o
                        << ", golden " << want;
        }
      }
    }
  }
  EXPECT_EQ(bad, 0u) << "of " << checked;
  EXPECT_GT(checked, 900'000u);
}

// AllowPositive = 1: every 9-bit t, including t > 0 (saturating at 2^61).
TEST(ShiftExpRtl, PositiveVariantMatchesGoldenOnEveryNineBitT) {
  SweepShiftExp<Vnl_shift_exp_pos>(-256, 255);
}

// AllowPositive = 0: every t <= 0.
TEST(ShiftExpRtl, NonPositiveVariantMatchesGoldenOnEveryNonPositiveT) {
  SweepShiftExp<Vnl_shift_exp_neg>(-256, 0);
}

TEST(ShiftExpRtl, PositiveArgumentsSaturateAtTwoToThe61) {
  VerilatedContext ctx;
  Vnl_shift_exp_pos m(&ctx);
  m.t_i = 128;  // -xmax of a row whose maximum is -128
  m.x0_i = static_cast<std::uint32_t>(-1);
  m.n_i = 23;
  m.eval();
  EXPECT_EQ(m.e_o, std::uint64_t{1} << 61);
}

// ------------------------------------------------------------------ ivit_udiv, Width 42
constexpr int kDivWidth = 42;
constexpr int kDivSpc = 3;

struct DivOp {
  std::uint64_t num, den;
  int steps;
};

TEST(UdivRtl, RandomOperandsWithStallsMatchAndMeetLatency) {
  Dut<Vnl_udiv_w42s3> dut;
  auto& m = dut.m();
  std::mt19937_64 rng(99);
  std::vector<DivOp> ops;
  for (int i = 0; i < 4000; ++i) {
    DivOp op;
    op.steps = 1 + static_cast<int>(rng() % kDivWidth);
    op.num = rng() & ((std::uint64_t{1} << op.steps) - 1);
    const int den_bits = 1 + static_cast<int>(rng() % kDivWidth);
    op.den = rng() & ((std::uint64_t{1} << den_bits) - 1);
    if (i % 7 == 0) op.num = (std::uint64_t{1} << op.steps) - 1;  // all ones
    if (i % 11 == 0) op.den = 1;
    if (op.den == 0) op.den = 1;
    ops.push_back(op);
  }
  const bool stall_phase[2] = {false, true};
  for (const bool stalls : stall_phase) {
    std::size_t next_in = 0, next_out = 0;
    std::deque<std::uint64_t> accepted_at;
    std::uint64_t last_accept = 0;
    bool have_last = false;
    std::size_t bad = 0;
    while (next_out < ops.size()) {
      ASSERT_LT(dut.cycle(), 10'000'000u);
      const bool in_v = next_in < ops.size() && !(stalls && rng() % 4 == 0);
      if (in_v) {
        const auto& op = ops[next_in];
        m.num_i = op.num << (kDivWidth - op.steps);
        m.den_i = op.den;
        m.steps_i = static_cast<std::uint8_t>(op.steps);
      } else {
        m.num_i = rng() & ((std::uint64_t{1} << kDivWidth) - 1);
        m.den_i = 0;
        m.steps_i = 0;
      }
      m.in_valid_i = in_v;
      const bool out_ready = !(stalls && rng() % 3 == 0);
      m.out_ready_i = out_ready;
      dut.Settle();
      if (m.out_valid_o && out_ready) {
        const auto& op = ops[next_out];
        if ((m.quo_o != op.num / op.den || m.rem_o != op.num % op.den) && bad++ < 5) {
          ADD_FAILURE() << op.num << " / " << op.den << " (" << op.steps << " steps): quo "
                        << m.quo_o << " rem " << m.rem_o;
        }
        if (!stalls) {
          const std::uint64_t lat = dut.cycle() - accepted_at.front();
          EXPECT_EQ(lat, static_cast<std::uint64_t>((op.steps + kDivSpc - 1) / kDivSpc + 1));
        }
        accepted_at.pop_front();
        ++next_out;
      }
      if (in_v && m.in_ready_o) {
        if (!stalls && have_last) {
          // Back to back: the next operation enters as the previous result leaves.
          const auto& prev = ops[next_in - 1];
          EXPECT_EQ(dut.cycle() - last_accept,
                    static_cast<std::uint64_t>((prev.steps + kDivSpc - 1) / kDivSpc + 1));
        }
        accepted_at.push_back(dut.cycle());
        last_accept = dut.cycle();
        have_last = true;
        ++next_in;
      }
      dut.Edge();
    }
    EXPECT_EQ(bad, 0u);
  }
}

}  // namespace
}  // namespace intvit::tb
