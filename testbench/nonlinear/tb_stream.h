// A row-streaming environment for the nonlinear units: feeds rows as beats of Lanes elements,
// collects the output beats, optionally feeds a side stream (I-LayerNorm's bias) in step with
// the output, inserts random stalls, and records per-row timing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "testbench/nonlinear/tb_common.h"

namespace intvit::tb {

using Rows = std::vector<std::vector<std::int64_t>>;

// Ops adapts one unit's ports:
//   static void SetIn(Model&, bool valid, const std::int64_t* elems, int count, int cols);
//   static bool InReady(Model&);
//   static void SetOutReady(Model&, bool);
//   static bool OutValid(Model&);  static bool OutLast(Model&);
//   static std::int64_t OutLane(Model&, int lane);
//   static constexpr bool kHasSide;   and if true:
//   static void SetSide(Model&, bool valid, const std::int64_t* elems, int count);
//   static bool SideReady(Model&);
// `side` holds one row of side values per row when Ops::kHasSide.
template <class Ops, class Model>
Rows RunRows(Dut<Model>& dut, int lanes, const Rows& rows, const Stalls& stalls,
             RowTiming* timing = nullptr, const Rows* side = nullptr,
             std::uint64_t max_cycles = 50'000'000) {
  Model& m = dut.m();
  std::mt19937_64 rng(stalls.seed);
  auto chance = [&](int pct) { return pct > 0 && static_cast<int>(rng() % 100) < pct; };
  const std::size_t n = rows.size();
  auto beats = [&](std::size_t r) {
    return static_cast<std::size_t>((rows[r].size() + lanes - 1) / lanes);
  };
  Rows out(n);
  for (std::size_t r = 0; r < n; ++r) out[r].assign(rows[r].size(), 0);
  if (timing) {
    timing->first_in.assign(n, 0);
    timing->last_out.assign(n, 0);
  }
  std::vector<std::int64_t> junk(lanes);
  std::size_t in_r = 0, in_b = 0, sd_r = 0, sd_b = 0, out_r = 0, out_b = 0;
  const std::uint64_t start = dut.cycle();
  while (out_r < n) {
    if (dut.cycle() - start > max_cycles) {
      ADD_FAILURE() << "timeout: row " << out_r << " beat " << out_b << " never came out";
      return out;
    }
    for (auto& v : junk) v = static_cast<std::int64_t>(rng());
    const bool in_v = in_r < n && !chance(stalls.in_gap_pct);
    if (in_v) {
      const auto& row = rows[in_r];
      const int cnt = std::min<int>(lanes, static_cast<int>(row.size() - in_b * lanes));
      Ops::SetIn(m, true, row.data() + in_b * lanes, cnt, static_cast<int>(row.size()));
    } else {
      Ops::SetIn(m, false, junk.data(), lanes, static_cast<int>(rng() & 0x3ff));
    }
    bool sd_v = false;
    if constexpr (Ops::kHasSide) {
      sd_v = sd_r < n && !chance(stalls.in_gap_pct);
      if (sd_v) {
        const auto& row = (*side)[sd_r];
        const int cnt = std::min<int>(lanes, static_cast<int>(row.size() - sd_b * lanes));
        Ops::SetSide(m, true, row.data() + sd_b * lanes, cnt);
      } else {
        Ops::SetSide(m, false, junk.data(), lanes);
      }
    }
    const bool out_ready = !chance(stalls.out_block_pct);
    Ops::SetOutReady(m, out_ready);
    dut.Settle();
    const bool in_fire = in_v && Ops::InReady(m);
    bool sd_fire = false;
    if constexpr (Ops::kHasSide) sd_fire = sd_v && Ops::SideReady(m);
    const bool out_fire = out_ready && Ops::OutValid(m);
    if (out_fire) {
      const std::size_t cols = rows[out_r].size();
      const bool last = out_b + 1 == beats(out_r);
      EXPECT_EQ(Ops::OutLast(m), last) << "out_last on row " << out_r << " beat " << out_b;
      for (int j = 0; j < lanes; ++j) {
        const std::size_t c = out_b * lanes + j;
        const std::int64_t v = Ops::OutLane(m, j);
        if (c < cols) {
          out[out_r][c] = v;
        } else {
          EXPECT_EQ(v, 0) << "padding lane " << j << " of row " << out_r << " is not zero";
        }
      }
    }
    if (timing && in_fire && in_b == 0) timing->first_in[in_r] = dut.cycle();
    if (timing && out_fire && out_b + 1 == beats(out_r)) timing->last_out[out_r] = dut.cycle();
    dut.Edge();
    if (in_fire && ++in_b == beats(in_r)) in_b = 0, ++in_r;
    if (sd_fire && ++sd_b == beats(sd_r)) sd_b = 0, ++sd_r;
    if (out_fire && ++out_b == beats(out_r)) out_b = 0, ++out_r;
  }
  return out;
}

// Expects every row's latency (first input beat to last output beat) and the spacing of
// consecutive rows' first input beats to equal the documented formulas (given cols).
template <class LatencyFn, class PeriodFn>
void ExpectTiming(const RowTiming& t, const Rows& rows, LatencyFn latency, PeriodFn period) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto cols = static_cast<std::int64_t>(rows[r].size());
    EXPECT_EQ(static_cast<std::int64_t>(t.last_out[r] - t.first_in[r]), latency(cols))
        << "latency of row " << r << " (cols " << cols << ")";
    if (r + 1 < rows.size()) {
      EXPECT_EQ(static_cast<std::int64_t>(t.first_in[r + 1] - t.first_in[r]), period(cols))
          << "period after row " << r << " (cols " << cols << ")";
    }
  }
}

}  // namespace intvit::tb
