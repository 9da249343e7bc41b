// rtl/prim/ivit_div_seq.sv: exhaustive at 8/4 bits, edges and random at 64/32, the exact
// latency, back-to-back throughput, output backpressure and division by zero.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "Vivit_div_64_32.h"
#include "Vivit_div_8_4.h"
#include "testbench/common/verilated_unit.h"

namespace intvit::tb {
namespace {

struct Request {
  std::uint64_t n = 0;
  std::uint64_t d = 0;
};

// Expected result, division by zero included: quotient all ones, remainder n mod 2^DW.
template <int NW, int DW>
std::pair<std::uint64_t, std::uint64_t> Expected(const Request& r) {
  const std::uint64_t nmask = NW == 64 ? ~0ull : (1ull << NW) - 1;
  const std::uint64_t dmask = (1ull << DW) - 1;
  if (r.d == 0) return {nmask, r.n & dmask};
  return {r.n / r.d, r.n % r.d};
}

struct Stats {
  std::int64_t results = 0;
  std::int64_t cycles = 0;
  std::vector<std::int64_t> latencies;  // accept cycle to first out_valid cycle
};

// Streams the requests with the consumer ready except with probability 1/stall_one_in.
template <typename V, int NW, int DW>
Stats Drive(const std::vector<Request>& reqs, int stall_one_in = 0, std::uint64_t seed = 1) {
  ClockedUnit<V> u;
  auto& io = u.io();
  io.in_valid_i = 0;
  io.out_ready_i = 1;
  u.Reset();
  std::mt19937_64 rng(seed);
  std::deque<std::pair<Request, std::int64_t>> pending;  // request, accept cycle
  std::size_t next = 0;
  Stats s;
  bool seen_valid = false;
  while (s.results < static_cast<std::int64_t>(reqs.size())) {
    io.in_valid_i = next < reqs.size();
    if (next < reqs.size()) {
      io.dividend_i = reqs[next].n;
      io.divisor_i = static_cast<std::uint32_t>(reqs[next].d);
    }
    io.out_ready_i = !(stall_one_in > 0 && rng() % stall_one_in == 0);
    u.Eval();
    if (io.out_valid_o) {
      EXPECT_FALSE(pending.empty());
      if (!seen_valid) {
        s.latencies.push_back(u.Cycle() - pending.front().second);
        seen_valid = true;
      }
      if (io.out_ready_i) {
        const auto [q, r] = Expected<NW, DW>(pending.front().first);
        EXPECT_EQ(static_cast<std::uint64_t>(io.quotient_o), q)
            << pending.front().first.n << " / " << pending.front().first.d;
        EXPECT_EQ(static_cast<std::uint64_t>(io.remainder_o), r)
            << pending.front().first.n << " % " << pending.front().first.d;
        pending.pop_front();
        ++s.results;
        seen_valid = false;
        s.cycles = u.Cycle() + 1;
      }
    }
    if (io.in_valid_i && io.in_ready_o) pending.push_back({reqs[next++], u.Cycle()});
    u.Tick();
    if (u.Cycle() > static_cast<std::int64_t>(reqs.size()) * (NW + 2) * 8 + 100) {
      ADD_FAILURE() << "no progress";
      break;
    }
  }
  return s;
}

TEST(IvitDivSeq, Exhaustive8By4IncludingDivisionByZero) {
  std::vector<Request> reqs;
  for (std::uint64_t n = 0; n < 256; ++n) {
    for (std::uint64_t d = 0; d < 16; ++d) reqs.push_back({n, d});
  }
  const Stats s = Drive<Vivit_div_8_4, 8, 4>(reqs);
  EXPECT_EQ(s.results, 256 * 16);
  // Back to back with a ready consumer: one result every NW = 8 cycles.
  EXPECT_EQ(s.cycles, 256 * 16 * 8 + 1);
  for (std::int64_t l : s.latencies) ASSERT_EQ(l, 8);
}

TEST(IvitDivSeq, Random64By32WithEdgesAndBackpressure) {
  std::vector<Request> reqs = {{0, 1},
                               {~0ull, 1},
                               {~0ull, 0xffffffffull},
                               {1ull << 63, 3},
                               {2147483647, 0},
                               {2147483648ull, 2147483648ull},
                               {12345, 0},
                               {0xffffffffull, 0x80000000ull}};
  std::mt19937_64 rng(64);
  for (int i = 0; i < 4000; ++i) {
    const int nbits = 1 + static_cast<int>(rng() % 64);
    const int dbits = 1 + static_cast<int>(rng() % 32);
    const std::uint64_t n = nbits == 64 ? rng() : rng() & ((1ull << nbits) - 1);
    const std::uint64_t d = rng() & ((1ull << dbits) - 1);
    reqs.push_back({n, d});
  }
  const Stats fast = Drive<Vivit_div_64_32, 64, 32>(reqs);
  EXPECT_EQ(fast.results, static_cast<std::int64_t>(reqs.size()));
  EXPECT_EQ(fast.cycles, static_cast<std::int64_t>(reqs.size()) * 64 + 1);
  for (std::int64_t l : fast.latencies) ASSERT_EQ(l, 64);
  const Stats slow = Drive<Vivit_div_64_32, 64, 32>(reqs, 3, 9);
  EXPECT_EQ(slow.results, static_cast<std::int64_t>(reqs.size()));
}

}  // namespace
}  // namespace intvit::tb
