// The row-streaming environment of the nonlinear units (Shiftmax, ShiftGELU, I-LayerNorm):
// feeds rows as beats of Lanes elements, collects the output beats, feeds a side stream
// (I-LayerNorm's bias) in step with the output, inserts seeded random stalls if asked, and
// records per-row timing. Used by the RTL backend (nonlinear_rtl.cc) and the tests; it does not
// depend on GoogleTest: protocol violations come back as a message.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "testbench/common/verilated_unit.h"

namespace intvit::tb {

using Rows = std::vector<std::vector<std::int64_t>>;

// Stalls of the stream environment: the source withholds a beat and the sink refuses one with
// these probabilities (percent). Zero for the cycle-count checks and the backend.
struct Stalls {
  int in_gap_pct = 0;
  int out_block_pct = 0;
  std::uint64_t seed = 1;
};

// Per-row timing: cycle of the first accepted input beat and of the last output beat.
struct RowTiming {
  std::vector<std::uint64_t> first_in, last_out;
};

// A clocked nonlinear unit, reset and ready: Settle() evaluates the current cycle's inputs,
// Edge() ends the cycle. cycle() counts from 0 after reset.
template <class Model>
class Dut {
 public:
  // random_x_seed != 0: uninitialised state starts random (the tests' default; the models are
  // Verilated with --x-initial unique). wave_path: VCD of the run ("" for none).
  explicit Dut(const std::string& wave_path = "", int random_x_seed = 12345)
      : unit_(wave_path, random_x_seed) {
    unit_.Reset();
  }
  Model& m() { return unit_.io(); }
  void Settle() { unit_.Eval(); }
  void Edge() { unit_.Tick(); }
  std::uint64_t cycle() const { return static_cast<std::uint64_t>(unit_.Cycle()); }

 private:
  ClockedUnit<Model> unit_;
};

struct RowStream {
  Rows out;
  RowTiming timing;
  std::string error;  // the first protocol violation or a timeout; "" if none
};

// Ports adapts one unit's ports:
//   static void SetIn(Model&, bool valid, const std::int64_t* elems, int count, int cols);
//   static bool InReady(Model&);
//   static void SetOutReady(Model&, bool);
//   static bool OutValid(Model&);  static bool OutLast(Model&);
//   static std::int64_t OutLane(Model&, int lane);
//   static constexpr bool kHasSide;   and if true:
//   static void SetSide(Model&, bool valid, const std::int64_t* elems, int count);
//   static bool SideReady(Model&);
// `side` holds one row of side values per row when Ports::kHasSide.
// D is a Dut<Model> or anything with its m(), Settle(), Edge() and cycle(); the stream starts in
// the current cycle and the timing is in D's cycles.
template <class Ports, class D>
RowStream StreamRows(D& dut, int lanes, const Rows& rows, const Stalls& stalls = {},
                     const Rows* side = nullptr, std::uint64_t max_cycles = 50'000'000) {
  auto& m = dut.m();
  std::mt19937_64 rng(stalls.seed);
  auto chance = [&](int pct) { return pct > 0 && static_cast<int>(rng() % 100) < pct; };
  const std::size_t n = rows.size();
  auto beats = [&](std::size_t r) {
    return static_cast<std::size_t>((rows[r].size() + lanes - 1) / lanes);
  };
  RowStream s;
  auto fail = [&](const std::string& what) {
    if (s.error.empty()) s.error = what;
  };
  s.out.resize(n);
  for (std::size_t r = 0; r < n; ++r) s.out[r].assign(rows[r].size(), 0);
  s.timing.first_in.assign(n, 0);
  s.timing.last_out.assign(n, 0);
  std::vector<std::int64_t> junk(lanes);
  std::size_t in_r = 0, in_b = 0, sd_r = 0, sd_b = 0, out_r = 0, out_b = 0;
  const std::uint64_t start = dut.cycle();
  while (out_r < n) {
    if (dut.cycle() - start > max_cycles) {
      fail("timeout: row " + std::to_string(out_r) + " beat " + std::to_string(out_b) +
           " never came out");
      return s;
    }
    for (auto& v : junk) v = static_cast<std::int64_t>(rng());
    const bool in_v = in_r < n && !chance(stalls.in_gap_pct);
    if (in_v) {
      const auto& row = rows[in_r];
      const int cnt = std::min<int>(lanes, static_cast<int>(row.size() - in_b * lanes));
      Ports::SetIn(m, true, row.data() + in_b * lanes, cnt, static_cast<int>(row.size()));
    } else {
      Ports::SetIn(m, false, junk.data(), lanes, static_cast<int>(rng() & 0x3ff));
    }
    bool sd_v = false;
    if constexpr (Ports::kHasSide) {
      sd_v = sd_r < n && !chance(stalls.in_gap_pct);
      if (sd_v) {
        const auto& row = (*side)[sd_r];
        const int cnt = std::min<int>(lanes, static_cast<int>(row.size() - sd_b * lanes));
        Ports::SetSide(m, true, row.data() + sd_b * lanes, cnt);
      } else {
        Ports::SetSide(m, false, junk.data(), lanes);
      }
    }
    const bool out_ready = !chance(stalls.out_block_pct);
    Ports::SetOutReady(m, out_ready);
    dut.Settle();
    const bool in_fire = in_v && Ports::InReady(m);
    bool sd_fire = false;
    if constexpr (Ports::kHasSide) sd_fire = sd_v && Ports::SideReady(m);
    const bool out_fire = out_ready && Ports::OutValid(m);
    if (out_fire) {
      const std::size_t cols = rows[out_r].size();
      const bool last = out_b + 1 == beats(out_r);
      if (Ports::OutLast(m) != last) {
        fail("out_last is " + std::to_string(!last) + " on row " + std::to_string(out_r) +
             " beat " + std::to_string(out_b));
      }
      for (int j = 0; j < lanes; ++j) {
        const std::size_t c = out_b * lanes + j;
        const std::int64_t v = Ports::OutLane(m, j);
        if (c < cols) {
          s.out[out_r][c] = v;
        } else if (v != 0) {
          fail("padding lane " + std::to_string(j) + " of row " + std::to_string(out_r) + " is " +
               std::to_string(v) + ", not 0");
        }
      }
    }
    if (in_fire && in_b == 0) s.timing.first_in[in_r] = dut.cycle();
    if (out_fire && out_b + 1 == beats(out_r)) s.timing.last_out[out_r] = dut.cycle();
    dut.Edge();
    if (in_fire && ++in_b == beats(in_r)) in_b = 0, ++in_r;
    if (sd_fire && ++sd_b == beats(sd_r)) sd_b = 0, ++sd_r;
    if (out_fire && ++out_b == beats(out_r)) out_b = 0, ++out_r;
  }
  return s;
}

// The rows of a row-major tensor of `cols` columns.
inline Rows SplitRows(const std::vector<std::int64_t>& values, std::int64_t cols) {
  Rows rows;
  for (std::size_t i = 0; i < values.size(); i += static_cast<std::size_t>(cols)) {
    rows.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i),
                      values.begin() + static_cast<std::ptrdiff_t>(i + cols));
  }
  return rows;
}

inline std::vector<std::int64_t> Flatten(const Rows& rows) {
  std::vector<std::int64_t> v;
  for (const auto& r : rows) v.insert(v.end(), r.begin(), r.end());
  return v;
}

}  // namespace intvit::tb
