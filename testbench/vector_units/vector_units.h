// The Verilated vector units (rtl/nonlinear/ivit_requant.sv, ivit_add.sv) behind C++ drivers.
// Each Run streams a whole tensor through the unit as fast as its handshakes allow (or with
// random bubbles and stalls, for tests) and returns the outputs and the RTL cycle count.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/ops/requant.h"
#include "testbench/common/flow_control.h"

namespace intvit::tb {

struct VectorRun {
  std::vector<std::int64_t> y;
  std::int64_t cycles = 0;  // first input beat to last output beat, inclusive
};

// ivit_requant with kRequantLanes lanes. One beat is one row's `lanes` consecutive channels
// (a row of C channels takes ceil(C / lanes) beats); unused lanes carry zeros.
inline constexpr int kRequantLanes = 16;
inline constexpr int kRequantLatency = 3;

class RequantUnit {
 public:
  virtual ~RequantUnit() = default;
  // y as model::Requant computes it. Requires CheckRequantParams(p, channels), x.size() a
  // multiple of channels, res empty or x.size(), and res empty exactly when p has no residual.
  virtual VectorRun Run(const model::RequantParams& p, std::int64_t channels,
                        std::span<const std::int64_t> x, std::span<const std::int64_t> res,
                        FlowControl flow = {}) = 0;
};
std::unique_ptr<RequantUnit> MakeRequantUnit(const std::string& wave_path = "");
// rows * ceil(channels / lanes) + latency, without stalls.
std::int64_t RequantCyclesFormula(std::int64_t elements, std::int64_t channels);

// ivit_add with kAddLanes lanes: y = SaturateToInt16(a + b), elements in order, kAddLanes per
// beat.
inline constexpr int kAddLanes = 16;
inline constexpr int kAddLatency = 1;

class AddUnit {
 public:
  virtual ~AddUnit() = default;
  // a and b hold int16 values and have the same size.
  virtual VectorRun Run(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                        FlowControl flow = {}) = 0;
};
std::unique_ptr<AddUnit> MakeAddUnit(const std::string& wave_path = "");
std::int64_t AddCyclesFormula(std::int64_t elements);

}  // namespace intvit::tb
