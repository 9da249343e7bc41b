#include "sim/isa/machine.h"

#include <cstring>
#include <limits>

#include "compiler/isa/codec.h"
#include "model/arith/saturate.h"
#include "model/common/error.h"
#include "model/ops/layer_norm.h"
#include "model/ops/linear.h"
#include "model/ops/matmul.h"
#include "model/ops/requant.h"
#include "model/ops/shift_gelu.h"
#include "model/ops/shiftmax.h"

namespace intvit::sim {
namespace {

using isa::ElemType;
using isa::Instr;
using isa::Opcode;
using isa::Operand;

std::string Hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Where(const Instr& i, std::size_t index) {
  return "instruction " + std::to_string(index) + " (" + std::string(isa::OpcodeName(i.opcode)) +
         ")";
}

// "instruction N (opcode)", built only when an error message needs it.
struct At {
  const Instr& instr;
  std::size_t index;
  friend std::string operator+(const At& a, const std::string& s) {
    return Where(a.instr, a.index) + s;
  }
  friend std::string operator+(const At& a, const char* s) { return Where(a.instr, a.index) + s; }
};

// The operands of an instruction by role.
class Operands {
 public:
  explicit Operands(const Instr& i) : ops_(isa::OperandsOf(i)) {}
  const Operand& Get(const char* role) const {
    for (const auto& o : ops_) {
      if (std::strcmp(o.role, role) == 0) return o;
    }
    throw std::logic_error(std::string("no operand ") + role);
  }
  // The write operand named `role` (a read and a write may share a role, e.g. accumulate).
  const Operand& Written(const char* role) const {
    for (const auto& o : ops_) {
      if (o.write && std::strcmp(o.role, role) == 0) return o;
    }
    throw std::logic_error(std::string("no written operand ") + role);
  }
  const std::vector<Operand>& all() const { return ops_; }

 private:
  std::vector<Operand> ops_;
};

// rows x (row_bytes / sizeof(T)) elements of an operand, packed.
template <typename T>
std::vector<T> Gather(const Machine& m, const Operand& op) {
  const std::uint64_t cols = op.row_bytes / sizeof(T);
  std::vector<T> out(op.rows * cols);
  const std::uint8_t* base = m.memory(op.space).data() + op.addr;
  for (std::uint64_t r = 0; r < op.rows; ++r) {
    std::memcpy(out.data() + r * cols, base + r * op.pitch_bytes, op.row_bytes);
  }
  return out;
}

template <typename T>
void Scatter(Machine& m, const Operand& op, const std::vector<T>& in) {
  const std::uint64_t cols = op.row_bytes / sizeof(T);
  std::uint8_t* base = m.memory(op.space).data() + op.addr;
  for (std::uint64_t r = 0; r < op.rows; ++r) {
    std::memcpy(base + r * op.pitch_bytes, in.data() + r * cols, op.row_bytes);
  }
}

void CopyBlock(Machine& m, const Operand& from, const Operand& to) {
  const std::uint8_t* src = m.memory(from.space).data() + from.addr;
  std::uint8_t* dst = m.memory(to.space).data() + to.addr;
  for (std::uint64_t r = 0; r < from.rows; ++r) {
    std::memmove(dst + r * to.pitch_bytes, src + r * from.pitch_bytes, from.row_bytes);
  }
}

// ---- gemm ----------------------------------------------------------------------------------

template <typename A>
std::vector<std::int32_t> GemmPartial(const Machine& m, const Instr& i, const Operands& ops) {
  const auto M = static_cast<std::int64_t>(i.rows), N = static_cast<std::int64_t>(i.cols),
             K = static_cast<std::int64_t>(i.depth);
  std::vector<std::int32_t> y(static_cast<std::size_t>(M * N));
  if (K == 0) return y;
  const std::vector<A> a = Gather<A>(m, ops.Get("A"));
  const std::vector<std::int8_t> b = Gather<std::int8_t>(m, ops.Get("B"));
  if constexpr (std::is_same_v<A, std::int8_t>) {
    if (!i.b_kn) {
      model::Linear({M, K, N}, a, b, {}, y);
      return y;
    }
    model::MatMul<std::int8_t>({1, M, K, N}, a, b, y);
    return y;
  } else {
    if (i.b_kn) {
      model::MatMul<A>({1, M, K, N}, a, b, y);
      return y;
    }
    std::vector<std::int8_t> bt(b.size());  // [n][k] -> [k][n]
    for (std::int64_t n = 0; n < N; ++n) {
      for (std::int64_t k = 0; k < K; ++k) bt[k * N + n] = b[n * K + k];
    }
    model::MatMul<A>({1, M, K, N}, a, bt, y);
    return y;
  }
}

void Gemm(const Instr& i, Machine& m, const Operands& ops, const At& at) {
  std::vector<std::int32_t> partial;
  if (i.src0_type == static_cast<std::uint64_t>(ElemType::kI8)) {
    partial = GemmPartial<std::int8_t>(m, i, ops);
  } else if (i.src0_type == static_cast<std::uint64_t>(ElemType::kU16)) {
    partial = GemmPartial<std::uint16_t>(m, i, ops);
  } else {
    throw InputError(at + ": the A operand must be i8 or u16, got element type " +
                     std::to_string(i.src0_type));
  }
  const Operand& dst = ops.Written("dst");
  std::vector<std::int32_t> base;
  if (i.accumulate) {
    base = Gather<std::int32_t>(m, dst);
  } else if (i.bias) {
    base = Gather<std::int32_t>(m, ops.Get("bias"));
  }
  const std::size_t N = i.cols;
  constexpr std::int64_t kMin = std::numeric_limits<std::int32_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
  for (std::size_t e = 0; e < partial.size(); ++e) {
    const std::int64_t p = partial[e];
    const std::int64_t b = i.accumulate ? base[e] : i.bias ? base[e % N] : 0;
    const std::int64_t v = p + b;
    if (p == kMin || p == kMax || v < kMin || v > kMax) {
      throw InputError(at + ": the int32 accumulator overflows at row " + std::to_string(e / N) +
                       ", column " + std::to_string(e % N));
    }
    partial[e] = static_cast<std::int32_t>(v);
  }
  Scatter(m, dst, partial);
  m.macs += i.rows * i.cols * i.depth;
}

// ---- requant -------------------------------------------------------------------------------

std::vector<model::Dyadic> ReadPairs(const Machine& m, const Operand& op, const At& at) {
  const std::vector<std::int64_t> raw = Gather<std::int64_t>(m, op);
  std::vector<model::Dyadic> out;
  for (std::size_t k = 0; k + 1 < raw.size(); k += 2) {
    if (raw[k + 1] < model::kDyadicMinE || raw[k + 1] > model::kDyadicMaxE) {
      throw InputError(at + ": requant exponent " + std::to_string(raw[k + 1]) + " at vec[" +
                       Hex(op.addr + 8 * (k + 1)) + "] is out of range");
    }
    out.push_back({raw[k], static_cast<int>(raw[k + 1])});
  }
  return out;
}

template <typename In, typename Res, typename Out>
void RequantTyped(const Instr& i, Machine& m, const Operands& ops, const model::RequantParams& p) {
  const std::vector<In> x = Gather<In>(m, ops.Get("src0"));
  std::vector<Out> y(x.size());
  if (i.residual) {
    const std::vector<Res> r = Gather<Res>(m, ops.Get("src1"));
    model::Requant<In, Res, Out>(m.host_isa, p, static_cast<std::int64_t>(i.cols), x, r, y);
  } else {
    model::Requant<In, In, Out>(m.host_isa, p, static_cast<std::int64_t>(i.cols), x,
                                std::span<const In>{}, y);
  }
  Scatter(m, ops.Written("dst"), y);
}

void Requant(const Instr& i, Machine& m, const Operands& ops, const At& at) {
  model::RequantParams p;
  p.mult = ReadPairs(m, ops.Get("params"), at);
  if (i.residual) p.mult_res = ReadPairs(m, ops.Get("res_params"), at);
  p.out_bits = static_cast<int>(i.out_bits);
  p.rounding = i.rounding ? model::Rounding::kHalfUp : model::Rounding::kHalfEven;
  try {
    model::CheckRequantParams(p, static_cast<std::int64_t>(i.cols));
  } catch (const InputError& e) {
    throw InputError(at + (": " + std::string(e.what())));
  }
  using T = ElemType;
  const auto s0 = static_cast<T>(i.src0_type), d = static_cast<T>(i.dst_type);
  const auto s1 = i.residual ? static_cast<T>(i.src1_type) : s0;
  if (d != T::kI8 && d != T::kI16) {
    throw InputError(at + ": requant writes i8 or i16, not " + std::string(isa::ElemTypeName(d)));
  }
  if (i.out_bits > (d == T::kI8 ? 8u : 16u)) {
    throw InputError(at + ": out_bits " + std::to_string(i.out_bits) +
                     " does not fit the destination type");
  }
  const bool o8 = d == T::kI8;
  if (s0 == T::kI16 && s1 == T::kI16) {
    return o8 ? RequantTyped<std::int16_t, std::int16_t, std::int8_t>(i, m, ops, p)
              : RequantTyped<std::int16_t, std::int16_t, std::int16_t>(i, m, ops, p);
  }
  if (s0 == T::kI32 && s1 == T::kI32) {
    return o8 ? RequantTyped<std::int32_t, std::int32_t, std::int8_t>(i, m, ops, p)
              : RequantTyped<std::int32_t, std::int32_t, std::int16_t>(i, m, ops, p);
  }
  if (s0 == T::kI64 && s1 == T::kI64) {
    return o8 ? RequantTyped<std::int64_t, std::int64_t, std::int8_t>(i, m, ops, p)
              : RequantTyped<std::int64_t, std::int64_t, std::int16_t>(i, m, ops, p);
  }
  if (s0 == T::kI32 && s1 == T::kI16 && !o8) {
    return RequantTyped<std::int32_t, std::int16_t, std::int16_t>(i, m, ops, p);
  }
  throw InputError(at + ": unsupported requant types " + std::string(isa::ElemTypeName(s0)) +
                   (i.residual ? " + " + std::string(isa::ElemTypeName(s1)) : "") + " -> " +
                   std::string(isa::ElemTypeName(d)));
}

// ---- nonlinear units -----------------------------------------------------------------------

std::int64_t Div(const Instr& i) { return i.div_pow2 ? model::kDivFloat32 : model::kDivDefault; }

template <typename F>
void Checked(const At& at, F f) {
  try {
    f();
  } catch (const InputError& e) {
    throw InputError(at + (": " + std::string(e.what())));
  }
}

void Shiftmax(const Instr& i, Machine& m, const Operands& ops, const At& at) {
  const model::ShiftmaxParams p{i.imm, static_cast<int>(i.exp_n), static_cast<int>(i.out_bits), Div(i)};
  Checked(at, [&] { model::CheckShiftmaxParams(p); });
  const std::vector<std::int8_t> x = Gather<std::int8_t>(m, ops.Get("src0"));
  std::vector<std::uint16_t> y(x.size());
  model::Shiftmax(p, static_cast<std::int64_t>(i.cols), x, y);
  Scatter(m, ops.Written("dst"), y);
}

void Gelu(const Instr& i, Machine& m, const Operands& ops, const At& at) {
  const model::ShiftGeluParams p{i.imm, static_cast<int>(i.exp_n), static_cast<int>(i.out_bits), Div(i)};
  Checked(at, [&] { model::CheckShiftGeluParams(p); });
  const std::vector<std::int8_t> x = Gather<std::int8_t>(m, ops.Get("src0"));
  std::vector<std::int32_t> y(x.size());
  model::ShiftGelu(p, static_cast<std::int64_t>(i.cols), x, y);
  Scatter(m, ops.Written("dst"), y);
}

void LayerNorm(const Instr& i, Machine& m, const Operands& ops, const At& at) {
  model::LayerNormParams p;
  p.bias_int = Gather<std::int64_t>(m, ops.Get("bias_int"));
  p.sqrt_iters = static_cast<int>(i.exp_n);
  p.sqrt_init = i.imm;
  p.div = Div(i);
  Checked(at, [&] { model::CheckLayerNormParams(p, static_cast<std::int64_t>(i.cols)); });
  const std::vector<std::int16_t> x = Gather<std::int16_t>(m, ops.Get("src0"));
  std::vector<std::int64_t> y(x.size());
  model::IntLayerNorm(p, static_cast<std::int64_t>(i.cols), x, y);
  Scatter(m, ops.Written("dst"), y);
}

void Add(const Instr&, Machine& m, const Operands& ops) {
  const std::vector<std::int16_t> a = Gather<std::int16_t>(m, ops.Get("src0"));
  const std::vector<std::int16_t> b = Gather<std::int16_t>(m, ops.Get("src1"));
  std::vector<std::int16_t> y(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    y[k] = static_cast<std::int16_t>(model::SaturateToInt16(std::int64_t{a[k]} + b[k]));
  }
  Scatter(m, ops.Written("dst"), y);
}

void CheckBounds(const Instr& i, const Machine& m, std::size_t index, const Operands& ops) {
  for (const Operand& op : ops.all()) {
    const std::uint64_t size = m.memory(op.space).size();
    if (op.End() > size) {
      const bool dram = op.space == isa::Space::kDram;
      throw InputError(Where(i, index) + ": " + (op.write ? "writes " : "reads ") +
                       isa::SpaceName(op.space) + " [" + Hex(op.addr) + ", " + Hex(op.End()) +
                       ") for operand " + op.role + " (" + std::to_string(op.rows) + " rows of " +
                       std::to_string(op.row_bytes) + " bytes, pitch " +
                       std::to_string(op.pitch_bytes) + "), outside the " +
                       std::to_string(size) + "-byte " + isa::SpaceName(op.space) +
                       (dram ? "" : " SRAM"));
    }
  }
}

}  // namespace

Machine::Machine(const compiler::ArchConfig& arch, std::vector<std::uint8_t> dram) {
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    mem_[b].assign(static_cast<std::size_t>(arch.SramBytes(static_cast<isa::Buffer>(b))), 0);
  }
  mem_[static_cast<int>(isa::Space::kDram)] = std::move(dram);
}

void CheckOperandBounds(const Instr& i, const Machine& m, std::size_t index) {
  CheckBounds(i, m, index, Operands(i));
}

void ExecuteInstruction(const Instr& i, Machine& m, std::size_t index) {
  const Operands ops(i);
  CheckBounds(i, m, index, ops);
  const At at{i, index};
  if (i.rows == 0 || i.cols == 0) return;  // an empty tile touches nothing
  switch (static_cast<Opcode>(i.opcode)) {
    case Opcode::kNop:
    case Opcode::kSync:
    case Opcode::kFinish:
      return;
    case Opcode::kLoad:
      return CopyBlock(m, ops.Get("dram"), ops.Written("dst"));
    case Opcode::kStore:
      return CopyBlock(m, ops.Get("src0"), ops.Written("dram"));
    case Opcode::kGemm:
      return Gemm(i, m, ops, at);
    case Opcode::kRequant:
      return Requant(i, m, ops, at);
    case Opcode::kShiftmax:
      return Shiftmax(i, m, ops, at);
    case Opcode::kGelu:
      return Gelu(i, m, ops, at);
    case Opcode::kLayernorm:
      return LayerNorm(i, m, ops, at);
    case Opcode::kAdd:
      return Add(i, m, ops);
  }
  throw InputError(at + ": unknown opcode " + std::to_string(i.opcode));
}

}  // namespace intvit::sim
