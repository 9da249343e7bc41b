// rtl/prim/ivit_round_shift.sv and ivit_sat.sv against model/arith: exhaustive at small widths,
// edge sets and random at 64 bits.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "Vivit_round_shift_64.h"
#include "Vivit_round_shift_s.h"
#include "Vivit_sat_s.h"
#include "model/arith/saturate.h"
#include "model/arith/shift.h"
#include "testbench/common/port_bits.h"
#include "testbench/common/verilated_unit.h"

namespace intvit::tb {
namespace {

std::int64_t Golden(std::int64_t x, int e, bool half_up, int out_bits) {
  const std::int64_t r =
      half_up ? model::RoundingShiftRightHalfUp(x, e) : model::RoundingShiftRightHalfEven(x, e);
  return model::SaturateToBits(r, out_bits);
}

// Edge values of a signed width: +-2^i +- {0, 1, 2}, min, min + 1, max - 1, max, 0.
std::vector<std::int64_t> EdgeValues(int bits) {
  const std::int64_t max = bits >= 64 ? INT64_MAX : (std::int64_t{1} << (bits - 1)) - 1;
  const std::int64_t min = -max - 1;
  std::vector<std::int64_t> v = {0, min, min + 1, max - 1, max};
  for (int i = 0; i < bits - 1; ++i) {
    for (std::int64_t d : {-2, -1, 0, 1, 2}) {
      const std::int64_t p = std::int64_t{1} << i;
      if (p + d <= max && p + d >= min) v.push_back(p + d);
      if (-p + d >= min && -p + d <= max) v.push_back(-p + d);
    }
  }
  return v;
}

TEST(IvitRoundShift, ExhaustiveTenBitsEverySixBitShiftBothRoundings) {
  CombUnit<Vivit_round_shift_s> u;  // InW 10, OutW 8, EW 6
  auto& io = u.io();
  std::int64_t checked = 0;
  for (int half_up = 0; half_up <= 1; ++half_up) {
    for (int e = -32; e <= 31; ++e) {
      for (int x = -512; x <= 511; ++x) {
        io.x_i = static_cast<std::uint16_t>(x) & 0x3ff;
        io.e_i = static_cast<std::uint8_t>(e) & 0x3f;
        io.half_up_i = half_up;
        u.Eval();
        const std::int64_t got = SignExtend(io.y_o, 8);
        ASSERT_EQ(got, Golden(x, e, half_up, 8))
            << "x " << x << " e " << e << " half_up " << half_up;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 2 * 64 * 1024);
}

TEST(IvitRoundShift, Int64EdgeValuesEveryShiftMatchTheGoldenInt64Functions) {
  CombUnit<Vivit_round_shift_64> u;  // InW 64, OutW 64, EW 8
  auto& io = u.io();
  for (std::int64_t x : EdgeValues(64)) {
    for (int e = -127; e <= 126; ++e) {
      for (int half_up = 0; half_up <= 1; ++half_up) {
        io.x_i = static_cast<std::uint64_t>(x);
        io.e_i = static_cast<std::uint8_t>(e);
        io.half_up_i = half_up;
        u.Eval();
        ASSERT_EQ(static_cast<std::int64_t>(io.y_o), Golden(x, e, half_up, 64))
            << "x " << x << " e " << e << " half_up " << half_up;
      }
    }
  }
}

TEST(IvitRoundShift, TiesGoToEvenOrUp) {
  CombUnit<Vivit_round_shift_64> u;
  auto& io = u.io();
  // (x, e) -> half_even, half_up: 5/2, -5/2, 3/2, -3/2, -1/2.
  const struct {
    std::int64_t x;
    int e;
    std::int64_t even, up;
  } cases[] = {{5, 1, 2, 3},  {-5, 1, -2, -2}, {3, 1, 2, 2},    {-3, 1, -2, -1},
               {-1, 1, 0, 0}, {12, 3, 2, 2},   {-12, 3, -2, -1}};
  for (const auto& c : cases) {
    for (int half_up = 0; half_up <= 1; ++half_up) {
      io.x_i = static_cast<std::uint64_t>(c.x);
      io.e_i = static_cast<std::uint8_t>(c.e);
      io.half_up_i = half_up;
      u.Eval();
      EXPECT_EQ(static_cast<std::int64_t>(io.y_o), half_up ? c.up : c.even) << c.x << "/2^" << c.e;
    }
  }
}

TEST(IvitRoundShift, Int64RandomValuesAndShifts) {
  CombUnit<Vivit_round_shift_64> u;
  auto& io = u.io();
  std::mt19937_64 rng(6);
  for (int i = 0; i < 200000; ++i) {
    const int width = 1 + static_cast<int>(rng() % 64);
    const std::int64_t x = SignExtend(rng(), width);
    const int e = static_cast<int>(rng() % 254) - 127;
    const int half_up = static_cast<int>(rng() & 1);
    io.x_i = static_cast<std::uint64_t>(x);
    io.e_i = static_cast<std::uint8_t>(e);
    io.half_up_i = half_up;
    u.Eval();
    ASSERT_EQ(static_cast<std::int64_t>(io.y_o), Golden(x, e, half_up, 64))
        << "x " << x << " e " << e << " half_up " << half_up;
  }
}

TEST(IvitSat, ExhaustiveTwelveBitsToFive) {
  CombUnit<Vivit_sat_s> u;  // InW 12, OutW 5
  auto& io = u.io();
  for (int x = -2048; x <= 2047; ++x) {
    io.x_i = static_cast<std::uint16_t>(x) & 0xfff;
    u.Eval();
    ASSERT_EQ(SignExtend(io.y_o, 5), model::SaturateToBits(x, 5)) << x;
  }
}

}  // namespace
}  // namespace intvit::tb
