// A Verilated model with its own context, optional VCD waveform and a cycle counter. Every
// driver in testbench/ clocks its unit through this class, so all units count cycles alike.
//
// The cycle protocol of the drivers: in each cycle the driver sets the inputs, calls Eval()
// (combinational outputs such as ready settle; registered outputs show the state after the
// previous edge), reads the outputs, decides which handshakes happen, then calls Tick() (one
// rising edge). Cycle() is the index of the current cycle, 0 right after Reset().
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "verilated.h"
#include "verilated_vcd_c.h"

namespace intvit::tb {

// Models without a clock (combinational primitives): set inputs, Eval(), read outputs.
template <typename V>
class CombUnit {
 public:
  CombUnit() : ctx_(std::make_unique<VerilatedContext>()), top_(std::make_unique<V>(ctx_.get())) {}
  ~CombUnit() { top_->final(); }
  V& io() { return *top_; }
  void Eval() { top_->eval(); }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
};

// Models with clk_i and an active-low asynchronous rst_ni.
template <typename V>
class ClockedUnit {
 public:
  // wave_path: write a VCD of the whole run there ("" for none). The model is built with
  // tracing support; when no file is given, tracing costs nothing.
  // random_x_seed: if nonzero, state that the RTL leaves uninitialised starts random (seeded)
  // instead of zero, for models Verilated with --x-initial unique; a test then shows that no
  // result depends on it.
  explicit ClockedUnit(const std::string& wave_path = "", int random_x_seed = 0)
      : ctx_(std::make_unique<VerilatedContext>()) {
    if (random_x_seed != 0) {
      ctx_->randReset(2);
      ctx_->randSeed(random_x_seed);
    }
    if (!wave_path.empty()) ctx_->traceEverOn(true);
    top_ = std::make_unique<V>(ctx_.get());
    if (!wave_path.empty()) {
      vcd_ = std::make_unique<VerilatedVcdC>();
      top_->trace(vcd_.get(), 99);
      vcd_->open(wave_path.c_str());
      if (!vcd_->isOpen()) throw std::runtime_error("cannot write the waveform " + wave_path);
    }
  }
  ~ClockedUnit() {
    top_->final();
    if (vcd_) vcd_->close();
  }
  ClockedUnit(const ClockedUnit&) = delete;
  ClockedUnit& operator=(const ClockedUnit&) = delete;

  V& io() { return *top_; }

  // Holds reset for `cycles` edges with the inputs as the caller left them, then releases it.
  // The cycle counter restarts at 0.
  void Reset(int cycles = 2) {
    top_->rst_ni = 0;
    top_->clk_i = 0;
    Eval();
    for (int i = 0; i < cycles; ++i) {
      Eval();
      Tick();
    }
    top_->rst_ni = 1;
    Eval();
    cycle_ = 0;
  }

  void Eval() { top_->eval(); }

  // The rising edge that ends the current cycle. The falling edge is evaluated by the next
  // Eval(), together with the next cycle's inputs (two evaluations per cycle, not three).
  void Tick() {
    Dump(0);
    top_->clk_i = 1;
    top_->eval();
    Dump(5);
    top_->clk_i = 0;
    ++cycle_;
    ++time_;
  }

  std::int64_t Cycle() const { return cycle_; }

 private:
  void Dump(int offset) {
    if (vcd_) vcd_->dump(static_cast<std::uint64_t>(time_ * 10 + offset));
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  std::int64_t cycle_ = 0;
  std::int64_t time_ = 0;
};

}  // namespace intvit::tb
