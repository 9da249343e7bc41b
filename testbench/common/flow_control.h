// Random flow control for tests: with stall_one_in = n > 0 a driver withholds each input beat
// with probability 1/n and, where the unit has backpressure, refuses each output beat with
// probability 1/n. The default (0) drives as fast as the handshakes allow, which is what the
// cycle formulas of docs/rtl.md describe.
#pragma once

#include <cstdint>
#include <random>

namespace intvit::tb {

struct FlowControl {
  int stall_one_in = 0;
  std::uint64_t seed = 1;
};

class Staller {
 public:
  explicit Staller(FlowControl f) : n_(f.stall_one_in), rng_(f.seed) {}
  bool operator()() { return n_ > 0 && rng_() % static_cast<std::uint64_t>(n_) == 0; }
  bool Active() const { return n_ > 0; }

 private:
  int n_;
  std::mt19937_64 rng_;
};

}  // namespace intvit::tb
