// The drivers of the Verilated vector units (rtl/nonlinear/ivit_requant.sv, ivit_add.sv),
// templated on the model class and taking the lane count at run time: the prebuilt models
// (testbench/rtl_units.cc) and the ones Verilated at run time (testbench/dynamic/) share this
// one copy. Header-only and calling no function of intvit's libraries.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/isa/isa_generated.h"
#include "model/arith/dyadic.h"
#include "testbench/common/port_bits.h"
#include "testbench/common/verilated_unit.h"
#include "testbench/vector_units/vector_units.h"

namespace intvit::tb {
namespace vector_driver {

// Lane widths of the requant and add ports: the ones ivit_isa_pkg gives the RTL (isa.json
// "datapath").
constexpr int kInW = isa::kRqInW;
constexpr int kMW = isa::kDyMW;
constexpr int kEW = isa::kDyEW;
constexpr int kOutW = isa::kRqOutW;
constexpr int kAddW = isa::kAddW;
// The contract's ranges fit the widths (docs/rtl.md, "Widths and why they suffice").
static_assert(model::kDyadicMinE >= -(1 << (kEW - 1)) && model::kDyadicMaxE < (1 << (kEW - 1)),
              "DyEW cannot hold every legal exponent");
static_assert(model::kDyadicMaxAbsM < (std::int64_t{1} << (kMW - 1)),
              "DyMW cannot hold m = +2^31 as a signed value");
static_assert(kInW == 64, "requant takes any int64 x and res");

inline std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Drives a valid/ready unit from its current state: `beats` input beats, each with `lanes`
// outputs, in order. pack(beat) sets the input ports; unpack(beat) reads y_o for that beat.
// Returns the cycles from the Run's first cycle to its last output beat, inclusive.
template <typename V, typename Pack, typename Unpack>
std::int64_t Stream(ClockedUnit<V>& unit, std::int64_t beats, FlowControl flow, Pack pack,
                    Unpack unpack) {
  V& io = unit.io();
  Staller stall(flow);
  std::int64_t in = 0, out = 0, packed = -1, last = -1;
  const std::int64_t start = unit.Cycle();
  const std::int64_t bound = (beats + 100) * (flow.stall_one_in > 0 ? 64 : 2);
  while (out < beats) {
    const bool offer = in < beats && !stall();
    if (offer && packed != in) {
      pack(in);
      packed = in;
    }
    io.in_valid_i = offer;
    io.out_ready_i = !stall();
    unit.Eval();
    if (io.out_valid_o && io.out_ready_i) {
      unpack(out++);
      last = unit.Cycle() - start;
    }
    const bool take = io.in_valid_i && io.in_ready_o;
    unit.Tick();
    if (take) ++in;
    if (unit.Cycle() - start > bound) throw std::runtime_error("vector unit: no progress");
  }
  return last + 1;
}

// What the two streaming units share: one persistent model, reset once with its input idle
// and its output always ready, and the time base of the next Run.
template <typename V, class Interface>
class StreamUnitBase : public Interface {
 public:
  StreamUnitBase(int lanes, WaveOptions wave) : lanes_(lanes), unit_(std::move(wave)) {
    unit_.io().in_valid_i = 0;
    unit_.io().out_ready_i = 1;
    unit_.Reset();
  }
  int Lanes() const override { return lanes_; }
  void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) override {
    base_ = cycle;
    instr_ = instr_index;
  }

 protected:
  // The model, with the Run's time base applied (and consumed).
  ClockedUnit<V>& BeginRun() {
    unit_.BeginRun(base_, instr_);
    base_ = instr_ = -1;
    return unit_;
  }

  int lanes_;

 private:
  ClockedUnit<V> unit_;
  std::int64_t base_ = -1;
  std::int64_t instr_ = -1;
};

template <typename V>
class RequantUnitImpl final : public StreamUnitBase<V, RequantUnit> {
 public:
  using StreamUnitBase<V, RequantUnit>::StreamUnitBase;

 protected:
  using StreamUnitBase<V, RequantUnit>::lanes_;

  VectorRun RunChecked(const model::RequantParams& p, std::int64_t channels,
                       std::span<const std::int64_t> x, std::span<const std::int64_t> res,
                       FlowControl flow) override {
    // With a residual branch res matches x element for element (both may be empty: no rows).
    if (x.size() % static_cast<std::size_t>(channels) != 0 ||
        (p.HasResidual() ? res.size() != x.size() : !res.empty())) {
      throw std::invalid_argument("RequantUnit: x/res do not match the params");
    }
    const std::int64_t rows = static_cast<std::int64_t>(x.size()) / channels;
    const std::int64_t per_row = CeilDiv(channels, lanes_);
    VectorRun run;
    run.y.assign(x.size(), 0);
    ClockedUnit<V>& unit = this->BeginRun();
    auto& io = unit.io();
    io.half_up_i = p.rounding == model::Rounding::kHalfUp;
    io.out16_i = p.out_bits == 16;
    auto mult = [](const std::vector<model::Dyadic>& v, std::int64_t c) {
      return v.size() == 1 ? v[0] : v[static_cast<std::size_t>(c)];
    };
    auto pack = [&](std::int64_t beat) {
      const std::int64_t row = beat / per_row;
      const std::int64_t c0 = (beat % per_row) * lanes_;
      for (int i = 0; i < lanes_; ++i) {
        const std::int64_t c = c0 + i;
        const bool on = c < channels;
        const std::size_t at = static_cast<std::size_t>(row * channels + c);
        const model::Dyadic d = on ? mult(p.mult, c) : model::Dyadic{};
        const model::Dyadic dr = on && p.HasResidual() ? mult(p.mult_res, c) : model::Dyadic{};
        PutBits(io.x_i, i * kInW, kInW, static_cast<std::uint64_t>(on ? x[at] : 0));
        PutBits(io.res_i, i * kInW, kInW,
                static_cast<std::uint64_t>(on && !res.empty() ? res[at] : 0));
        PutBits(io.m_i, i * kMW, kMW, static_cast<std::uint64_t>(d.m));
        PutBits(io.e_i, i * kEW, kEW, static_cast<std::uint64_t>(d.e));
        PutBits(io.m_res_i, i * kMW, kMW, static_cast<std::uint64_t>(dr.m));
        PutBits(io.e_res_i, i * kEW, kEW, static_cast<std::uint64_t>(dr.e));
      }
    };
    auto unpack = [&](std::int64_t beat) {
      const std::int64_t row = beat / per_row;
      const std::int64_t c0 = (beat % per_row) * lanes_;
      for (int i = 0; i < lanes_ && c0 + i < channels; ++i) {
        run.y[static_cast<std::size_t>(row * channels + c0 + i)] =
            SignExtend(GetBits(io.y_o, i * kOutW, kOutW), kOutW);
      }
    };
    run.cycles = Stream(unit, rows * per_row, flow, pack, unpack);
    return run;
  }
};

template <typename V>
class AddUnitImpl final : public StreamUnitBase<V, AddUnit> {
 public:
  using StreamUnitBase<V, AddUnit>::StreamUnitBase;
  using StreamUnitBase<V, AddUnit>::lanes_;

  VectorRun Run(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                FlowControl flow) override {
    if (a.size() != b.size()) throw std::invalid_argument("AddUnit: a and b differ in size");
    const auto n = static_cast<std::int64_t>(a.size());
    VectorRun run;
    run.y.assign(a.size(), 0);
    ClockedUnit<V>& unit = this->BeginRun();
    auto& io = unit.io();
    auto pack = [&](std::int64_t beat) {
      for (int i = 0; i < lanes_; ++i) {
        const std::int64_t at = beat * lanes_ + i;
        PutBits(io.a_i, i * kAddW, kAddW, static_cast<std::uint64_t>(at < n ? a[at] : 0));
        PutBits(io.b_i, i * kAddW, kAddW, static_cast<std::uint64_t>(at < n ? b[at] : 0));
      }
    };
    auto unpack = [&](std::int64_t beat) {
      for (int i = 0; i < lanes_ && beat * lanes_ + i < n; ++i) {
        run.y[static_cast<std::size_t>(beat * lanes_ + i)] =
            SignExtend(GetBits(io.y_o, i * kAddW, kAddW), kAddW);
      }
    };
    run.cycles = Stream(unit, CeilDiv(n, lanes_), flow, pack, unpack);
    return run;
  }
};

}  // namespace vector_driver

using vector_driver::AddUnitImpl;
using vector_driver::RequantUnitImpl;

}  // namespace intvit::tb
