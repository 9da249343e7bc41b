// rtl/prim/ivit_udiv.sv (Width 64, one quotient bit per cycle): exhaustive over 8-bit dividends
// and divisors, edges and random at 64/32 bits, the exact latency ceil(steps / S) + 1,
// back-to-back throughput and output backpressure. testbench/nonlinear/prims_tb.cc covers
// Width 42 with 3 bits per cycle and random step counts.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "Vivit_udiv_w64s1.h"
#include "testbench/common/verilated_unit.h"

namespace intvit::tb {
namespace {

constexpr int kWidth = 64;

struct Request {
  std::uint64_t n = 0;  // the dividend, < 2^steps
  std::uint64_t d = 1;  // the divisor, >= 1 (ivit_udiv's Range)
};

struct Stats {
  std::int64_t results = 0;
  std::int64_t cycles = 0;
  std::vector<std::int64_t> latencies;  // accept cycle to first out_valid cycle
};

// Streams the requests (each with `steps` quotient bits) with the consumer ready except with
// probability 1/stall_one_in, checking every quotient and remainder.
Stats Drive(const std::vector<Request>& reqs, int steps, int stall_one_in = 0,
            std::uint64_t seed = 1) {
  ClockedUnit<Vivit_udiv_w64s1> u;
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
      io.num_i = steps == kWidth ? reqs[next].n : reqs[next].n << (kWidth - steps);  // left-aligned
      io.den_i = reqs[next].d;
      io.steps_i = static_cast<std::uint8_t>(steps);
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
        const Request& r = pending.front().first;
        EXPECT_EQ(static_cast<std::uint64_t>(io.quo_o), r.n / r.d) << r.n << " / " << r.d;
        EXPECT_EQ(static_cast<std::uint64_t>(io.rem_o), r.n % r.d) << r.n << " % " << r.d;
        pending.pop_front();
        ++s.results;
        seen_valid = false;
        s.cycles = u.Cycle() + 1;
      }
    }
    if (io.in_valid_i && io.in_ready_o) pending.push_back({reqs[next++], u.Cycle()});
    u.Tick();
    if (u.Cycle() > static_cast<std::int64_t>(reqs.size()) * (steps + 2) * 8 + 100) {
      ADD_FAILURE() << "no progress";
      break;
    }
  }
  return s;
}

TEST(IvitUdiv, Exhaustive8BitDividendsAndDivisors) {
  std::vector<Request> reqs;
  for (std::uint64_t n = 0; n < 256; ++n) {
    for (std::uint64_t d = 1; d < 256; ++d) reqs.push_back({n, d});
  }
  const Stats s = Drive(reqs, 8);
  EXPECT_EQ(s.results, 256 * 255);
  // Back to back with a ready consumer: one result every 8 + 1 cycles.
  EXPECT_EQ(s.cycles, 256 * 255 * 9 + 1);
  for (std::int64_t l : s.latencies) ASSERT_EQ(l, 9);
}

TEST(IvitUdiv, Random64By32WithEdgesAndBackpressure) {
  std::vector<Request> reqs = {{0, 1},
                               {~0ull, 1},
                               {~0ull, 0xffffffffull},
                               {1ull << 63, 3},
                               {2147483647, 1},
                               {2147483648ull, 2147483648ull},
                               {12345, 12346},
                               {0xffffffffull, 0x80000000ull}};
  std::mt19937_64 rng(64);
  for (int i = 0; i < 4000; ++i) {
    const int nbits = 1 + static_cast<int>(rng() % 64);
    const int dbits = 1 + static_cast<int>(rng() % 32);
    const std::uint64_t n = nbits == 64 ? rng() : rng() & ((1ull << nbits) - 1);
    const std::uint64_t d = rng() & ((1ull << dbits) - 1);
    reqs.push_back({n, d == 0 ? 1 : d});
  }
  const Stats fast = Drive(reqs, 64);
  EXPECT_EQ(fast.results, static_cast<std::int64_t>(reqs.size()));
  EXPECT_EQ(fast.cycles, static_cast<std::int64_t>(reqs.size()) * 65 + 1);
  for (std::int64_t l : fast.latencies) ASSERT_EQ(l, 65);
  const Stats slow = Drive(reqs, 64, 3, 9);
  EXPECT_EQ(slow.results, static_cast<std::int64_t>(reqs.size()));
}

}  // namespace
}  // namespace intvit::tb
