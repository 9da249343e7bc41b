// A Verilated model with its own context, optional VCD waveform and a cycle counter. Every
// driver in testbench/ clocks its unit through this class, so all units count cycles alike.
//
// The cycle protocol of the drivers: in each cycle the driver sets the inputs, calls Eval()
// (combinational outputs such as ready settle; registered outputs show the state after the
// previous edge), reads the outputs, decides which handshakes happen, then calls Tick() (one
// rising edge). Cycle() is the index of the current cycle, 0 right after Reset().
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "verilated.h"
#include "testbench/common/coverage_out.h"
#include "testbench/common/vcd_instr.h"
#include "verilated_vcd_c.h"

namespace intvit::tb {

// Models without a clock (combinational primitives): set inputs, Eval(), read outputs.
template <typename V>
class CombUnit {
 public:
  CombUnit() : ctx_(std::make_unique<VerilatedContext>()), top_(std::make_unique<V>(ctx_.get())) {}
  ~CombUnit() {
    top_->final();
#if VM_COVERAGE
    WriteUnitCoverage(ctx_.get());
#endif
  }
  V& io() { return *top_; }
  void Eval() { top_->eval(); }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
};

// Where and when a clocked unit writes its VCD. Cycles are those of the unit's time line (see
// ClockedUnit::BeginRun): only edges of cycles in [from, to] are dumped.
struct WaveOptions {
  std::string path;  // "" = no waveform
  std::int64_t from = 0;
  std::int64_t to = INT64_MAX;
};

// Models with clk_i and an active-low asynchronous rst_ni.
//
// Two clocks: Cycle() counts edges since Reset() (the drivers' cycle counts), and the time line
// Time() places them in the VCD. Cycle t of the time line is dumped at VCD time 10 t (inputs of
// the cycle, before the edge) and 10 t + 5 (after the edge) in units of 100 ps, so a viewer shows
// cycle t at t ns. Reset() is not dumped. BeginRun(base, instr) moves the time line forward to
// `base` (never back) and records that instruction `instr` starts there; the VCD then gets a
// 32-bit `instr_index` signal in its top scope (added when the unit is destroyed, see
// vcd_instr.h: Verilator's writer cannot declare a foreign signal).
template <typename V>
class ClockedUnit {
 public:
  // random_x_seed: if nonzero, state that the RTL leaves uninitialised starts random (seeded)
  // instead of zero, for models Verilated with --x-initial unique; a test then shows that no
  // result depends on it.
  explicit ClockedUnit(WaveOptions wave = {}, int random_x_seed = 0)
      : ctx_(std::make_unique<VerilatedContext>()), wave_(std::move(wave)) {
    if (random_x_seed != 0) {
      ctx_->randReset(2);
      ctx_->randSeed(random_x_seed);
    }
    if (!wave_.path.empty()) ctx_->traceEverOn(true);
    // Verilator 5.006 registers and erases a model's scopes in the thread's current context
    // (VerilatedScope uses Verilated::threadContextp()), not the model's: with several units
    // made and destroyed in any order it must be the unit's own, or a destructor locks a
    // mutex of a context already freed (a hang seen with two units of one kind).
    Verilated::threadContextp(ctx_.get());
    top_ = std::make_unique<V>(ctx_.get());
    if (!wave_.path.empty()) {
      raw_path_ = wave_.path + ".raw";
      vcd_ = std::make_unique<VerilatedVcdC>();
      top_->trace(vcd_.get(), 99);
      vcd_->set_time_unit("1ns");
      vcd_->set_time_resolution("100ps");
      vcd_->open(raw_path_.c_str());
      if (!vcd_->isOpen()) throw std::runtime_error("cannot write the waveform " + raw_path_);
    }
  }
  // Convenience for a whole-run VCD with no window.
  explicit ClockedUnit(const std::string& wave_path, int random_x_seed = 0)
      : ClockedUnit(WaveOptions{wave_path}, random_x_seed) {}
  ~ClockedUnit() {
    Verilated::threadContextp(ctx_.get());
    top_->final();
#if VM_COVERAGE
    WriteUnitCoverage(ctx_.get());
#endif
    if (vcd_) vcd_->close();
    vcd_.reset();
    top_.reset();
    Verilated::threadContextp(nullptr);
    if (!raw_path_.empty()) {
      std::string error;
      if (!FinishVcdWithInstrIndex(raw_path_, wave_.path, instr_changes_, &error)) {
        std::fprintf(stderr, "warning: %s\n", error.c_str());
      }
    }
  }
  ClockedUnit(const ClockedUnit&) = delete;
  ClockedUnit& operator=(const ClockedUnit&) = delete;

  V& io() { return *top_; }

  // Holds reset for `cycles` edges with the inputs as the caller left them, then releases it.
  // The cycle counter restarts at 0; nothing is dumped.
  void Reset(int cycles = 2) {
    top_->rst_ni = 0;
    top_->clk_i = 0;
    Eval();
    for (int i = 0; i < cycles; ++i) {
      Eval();
      top_->clk_i = 1;
      top_->eval();
      top_->clk_i = 0;
    }
    top_->rst_ni = 1;
    Eval();
    cycle_ = 0;
  }

  // Starts a Run: the time line moves to max(base, Time()); instr >= 0 is shown as instr_index
  // from there on. base < 0: continue where the previous Run ended.
  void BeginRun(std::int64_t base, std::int64_t instr) {
    Verilated::threadContextp(ctx_.get());  // for $error and $stop of this unit's assertions
    if (base > time_) time_ = base;
    if (instr >= 0 && vcd_) instr_changes_.push_back({time_ * 10, instr});
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
  std::int64_t Time() const { return time_; }

 private:
  void Dump(int offset) {
    if (vcd_ && time_ >= wave_.from && time_ <= wave_.to) {
      vcd_->dump(static_cast<std::uint64_t>(time_ * 10 + offset));
    }
  }

  std::unique_ptr<VerilatedContext> ctx_;
  WaveOptions wave_;
  std::string raw_path_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  std::vector<InstrChange> instr_changes_;
  std::int64_t cycle_ = 0;
  std::int64_t time_ = 0;
};

}  // namespace intvit::tb
