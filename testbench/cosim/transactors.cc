#include "testbench/cosim/transactors.h"

#include <cstring>

#include "compiler/isa/codec.h"
#include "model/common/error.h"
#include "model/ops/requant.h"
#include "model/ops/shiftmax.h"
#include "sim/timing/unit_cycles.h"
#include "testbench/rtl_units.h"

namespace intvit::tb {
namespace {

using isa::ElemType;
using isa::Instr;
using isa::Opcode;

std::string At(const Instr& i, std::size_t index) {
  return "instruction " + std::to_string(index) + " (" + std::string(isa::OpcodeName(i.opcode)) +
         ")";
}

// The packed tile of `role` as int64 values of `type`.
std::vector<std::int64_t> Values(const OperandTiles& in, const char* role, ElemType type) {
  const auto it = in.find(role);
  if (it == in.end()) return {};
  const std::size_t n = it->second.size() /
                        static_cast<std::size_t>(isa::ElemBytes(static_cast<std::uint64_t>(type)));
  std::vector<std::int64_t> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = TileElement(it->second, type, k);
  return v;
}

std::vector<std::uint8_t> Pack(const std::vector<std::int64_t>& values, ElemType type) {
  const int b = isa::ElemBytes(static_cast<std::uint64_t>(type));
  std::vector<std::uint8_t> out(values.size() * static_cast<std::size_t>(b));
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto u = static_cast<std::uint64_t>(values[k]);
    std::memcpy(out.data() + k * static_cast<std::size_t>(b), &u, static_cast<std::size_t>(b));
  }
  return out;
}

std::int64_t Div(const Instr& i) { return i.div_pow2 ? model::kDivFloat32 : model::kDivDefault; }

// ---- gemm on ivit_array
// ---------------------------------------------------------------------------
class ArrayTransactor final : public Transactor {
 public:
  ArrayTransactor(const compiler::ArchConfig& a, const RtlUnitOptions& o)
      : geometry_{static_cast<int>(a.array_rows), static_cast<int>(a.array_cols),
                  static_cast<int>(a.array_tile_rows), static_cast<int>(a.array_tile_cols)} {
    if (a.dataflow != "ws") {
      throw InputError(
          "impl.array = rtl: the RTL array (rtl/array/ivit_array.sv) is "
          "weight-stationary, so it needs array.dataflow = ws, not " +
          a.dataflow);
    }
    unit_ = MakeArrayUnit(geometry_, o);
  }
  std::string Description() const override { return "ivit_array " + geometry_.Name(); }

  TransactorResult Run(const Instr& i, std::size_t index, std::int64_t cycle,
                       const OperandTiles& in) override {
    const auto m = static_cast<std::int64_t>(i.rows), n = static_cast<std::int64_t>(i.cols),
               k = static_cast<std::int64_t>(i.depth);
    const auto a_type = static_cast<ElemType>(i.src0_type);
    if (a_type != ElemType::kI8 && a_type != ElemType::kU16) {
      throw InputError(At(i, index) + ": the array's A operand must be i8 or u16");
    }
    const std::vector<std::int64_t> a64 = Values(in, "A", a_type);
    const std::vector<std::int64_t> b64 = Values(in, "B", ElemType::kI8);
    std::vector<std::int32_t> a(a64.begin(), a64.end());
    std::vector<std::int8_t> b(static_cast<std::size_t>(k * n));
    for (std::int64_t r = 0; r < k; ++r) {
      for (std::int64_t c = 0; c < n; ++c) {
        // B is [K][N] with b_kn, else [N][K] (a linear layer's weight rows).
        const std::int64_t v = i.b_kn ? b64[r * n + c] : b64[c * k + r];
        b[static_cast<std::size_t>(r * n + c)] = static_cast<std::int8_t>(v);
      }
    }
    std::vector<std::int32_t> bias;
    if (i.bias && !i.accumulate) {
      const std::vector<std::int64_t> b = Values(in, "bias", ElemType::kI32);
      bias.assign(b.begin(), b.end());
    }
    const GemmProblem q{m, k, n, a, b, bias};
    unit_->SetTimeBase(cycle, static_cast<std::int64_t>(index));
    GemmRun run = unit_->Run(std::span(&q, 1));
    std::vector<std::int64_t> y(run.y.at(0).begin(), run.y.at(0).end());
    if (i.accumulate) {
      // The accumulator's int32 adder: modulo 2^32.
      const std::vector<std::int64_t> acc = Values(in, "acc", ElemType::kI32);
      for (std::size_t e = 0; e < y.size(); ++e) {
        const std::uint32_t s =
            static_cast<std::uint32_t>(y[e]) + static_cast<std::uint32_t>(acc[e]);
        y[e] = static_cast<std::int32_t>(s);
      }
    }
    return {Pack(y, ElemType::kI32), run.cycles};
  }

 private:
  ArrayGeometry geometry_;
  std::unique_ptr<ArrayUnit> unit_;
};

// ---- requant on ivit_requant
// ----------------------------------------------------------------------
std::vector<model::Dyadic> Pairs(const std::vector<std::int64_t>& raw) {
  std::vector<model::Dyadic> out;
  for (std::size_t k = 0; k + 1 < raw.size(); k += 2) {
    out.push_back({raw[k], static_cast<int>(raw[k + 1])});
  }
  return out;
}

class RequantTransactor final : public Transactor {
 public:
  RequantTransactor(const compiler::ArchConfig& a, const RtlUnitOptions& o)
      : lanes_(static_cast<int>(a.requant.lanes)), unit_(MakeRequantUnit(lanes_, o)) {}
  std::string Description() const override {
    return "ivit_requant " + std::to_string(lanes_) + " lanes";
  }

  TransactorResult Run(const Instr& i, std::size_t index, std::int64_t cycle,
                       const OperandTiles& in) override {
    model::RequantParams p;
    p.mult = Pairs(Values(in, "params", ElemType::kI64));
    if (i.residual) p.mult_res = Pairs(Values(in, "res_params", ElemType::kI64));
    p.out_bits = static_cast<int>(i.out_bits);
    p.rounding = i.rounding ? model::Rounding::kHalfUp : model::Rounding::kHalfEven;
    const std::vector<std::int64_t> x = Values(in, "src0", static_cast<ElemType>(i.src0_type));
    const std::vector<std::int64_t> res =
        i.residual ? Values(in, "src1", static_cast<ElemType>(i.src1_type))
                   : std::vector<std::int64_t>();
    unit_->SetTimeBase(cycle, static_cast<std::int64_t>(index));
    VectorRun run = unit_->Run(p, static_cast<std::int64_t>(i.cols), x, res);
    return {Pack(run.y, static_cast<ElemType>(i.dst_type)), run.cycles};
  }

 private:
  int lanes_;
  std::unique_ptr<RequantUnit> unit_;
};

// ---- shiftmax, gelu, layernorm on the row units
// ---------------------------------------------------
class RowTransactor final : public Transactor {
 public:
  RowTransactor(const compiler::ArchConfig& a, isa::Unit unit, const RtlUnitOptions& o)
      : unit_kind_(unit) {
    const compiler::RowUnitConfig& c = *a.RowUnit(unit);
    shape_ = {static_cast<int>(c.lanes), static_cast<int>(a.divider_bits_per_cycle),
              static_cast<int>(c.max_cols)};
    const RowKind kind = unit == isa::Unit::kShiftmax ? RowKind::kShiftmax
                         : unit == isa::Unit::kGelu   ? RowKind::kGelu
                                                      : RowKind::kLayerNorm;
    unit_ = MakeRowUnit(kind, shape_, o);
  }
  std::string Description() const override {
    return "ivit_" + std::string(isa::UnitName(unit_kind_)) + " " + std::to_string(shape_.lanes) +
           " lanes, " + std::to_string(shape_.spc) + " bits/cycle, MaxCols " +
           std::to_string(shape_.max_cols);
  }

  TransactorResult Run(const Instr& i, std::size_t index, std::int64_t cycle,
                       const OperandTiles& in) override {
    const auto cols = static_cast<std::int64_t>(i.cols);
    const std::string name(isa::UnitName(unit_kind_));
    if (cols > shape_.max_cols) {
      throw InputError(At(i, index) + ": rows of " + std::to_string(cols) + " columns exceed " +
                       name + ".max_cols = " + std::to_string(shape_.max_cols));
    }
    RowConfig cfg;
    cfg.div = Div(i);
    std::vector<std::int64_t> x, bias;
    ElemType out = ElemType::kI64;
    if (unit_kind_ == isa::Unit::kLayernorm) {
      cfg.sqrt_iters = static_cast<int>(i.exp_n);
      cfg.sqrt_init = i.imm;
      const int var_w =
          32 + static_cast<int>(sim::RowShape{shape_.lanes, shape_.spc, shape_.max_cols}.Lg());
      if (cfg.sqrt_init < 0 || cfg.sqrt_init >= (std::int64_t{1} << var_w)) {
        throw InputError(At(i, index) + ": sqrt_init " + std::to_string(cfg.sqrt_init) +
                         " exceeds the layernorm unit's " + std::to_string(var_w) +
                         "-bit Newton register (32 + clog2(layernorm.max_cols))");
      }
      x = Values(in, "src0", ElemType::kI16);
      bias = Values(in, "bias_int", ElemType::kI64);
    } else {
      cfg.x0 = i.imm;
      cfg.n = static_cast<int>(i.exp_n);
      cfg.out_bits = static_cast<int>(i.out_bits);
      x = Values(in, "src0", ElemType::kI8);
      out = unit_kind_ == isa::Unit::kShiftmax ? ElemType::kU16 : ElemType::kI32;
    }
    unit_->SetTimeBase(cycle, static_cast<std::int64_t>(index));
    VectorRun run = unit_->Run(cfg, cols, x, bias);
    return {Pack(run.y, out), run.cycles};
  }

 private:
  isa::Unit unit_kind_;
  RowUnitShape shape_;
  std::unique_ptr<RowUnit> unit_;
};

// ---- add on ivit_add ----------------------------------------------------------------------------
class AddTransactor final : public Transactor {
 public:
  AddTransactor(const compiler::ArchConfig& a, const RtlUnitOptions& o)
      : lanes_(static_cast<int>(a.add.lanes)), unit_(MakeAddUnit(lanes_, o)) {}
  std::string Description() const override {
    return "ivit_add " + std::to_string(lanes_) + " lanes";
  }
  TransactorResult Run(const Instr&, std::size_t index, std::int64_t cycle,
                       const OperandTiles& in) override {
    unit_->SetTimeBase(cycle, static_cast<std::int64_t>(index));
    VectorRun run =
        unit_->Run(Values(in, "src0", ElemType::kI16), Values(in, "src1", ElemType::kI16));
    return {Pack(run.y, ElemType::kI16), run.cycles};
  }

 private:
  int lanes_;
  std::unique_ptr<AddUnit> unit_;
};

}  // namespace

std::unique_ptr<Transactor> MakeTransactor(const compiler::ArchConfig& arch, isa::Unit unit,
                                           const RtlUnitOptions& options) {
  switch (unit) {
    case isa::Unit::kArray:
      return std::make_unique<ArrayTransactor>(arch, options);
    case isa::Unit::kRequant:
      return std::make_unique<RequantTransactor>(arch, options);
    case isa::Unit::kShiftmax:
    case isa::Unit::kGelu:
    case isa::Unit::kLayernorm:
      return std::make_unique<RowTransactor>(arch, unit, options);
    case isa::Unit::kAdd:
      return std::make_unique<AddTransactor>(arch, options);
    default:
      throw InputError("the " + std::string(isa::UnitName(unit)) + " unit has no RTL");
  }
}

RtlTransactors MakeRtlTransactors(const compiler::ArchConfig& arch,
                                  const std::map<isa::Unit, RtlUnitOptions>& waves) {
  RtlTransactors units;
  for (isa::Unit u : compiler::ImplConfig::Units()) {
    if (!arch.impl.IsRtl(u)) continue;
    const auto w = waves.find(u);
    units[static_cast<int>(u)] =
        MakeTransactor(arch, u, w == waves.end() ? RtlUnitOptions{} : w->second);
  }
  return units;
}

isa::Operand DstOperand(const Instr& instr) {
  for (const isa::Operand& op : isa::OperandsOf(instr)) {
    if (op.write && std::string(op.role) == "dst") return op;
  }
  return {};
}

ElemType DstElemType(const Instr& i) {
  switch (static_cast<Opcode>(i.opcode)) {
    case Opcode::kGemm:
    case Opcode::kGelu:
      return ElemType::kI32;
    case Opcode::kShiftmax:
      return ElemType::kU16;
    case Opcode::kLayernorm:
      return ElemType::kI64;
    case Opcode::kAdd:
      return ElemType::kI16;
    default:
      return static_cast<ElemType>(i.dst_type);
  }
}

std::int64_t TileElement(const std::vector<std::uint8_t>& tile, ElemType type, std::size_t i) {
  const std::uint8_t* p = tile.data();
  switch (type) {
    case ElemType::kI8:
      return static_cast<std::int8_t>(p[i]);
    case ElemType::kU8:
      return p[i];
    case ElemType::kI16: {
      std::int16_t v;
      std::memcpy(&v, p + 2 * i, 2);
      return v;
    }
    case ElemType::kU16: {
      std::uint16_t v;
      std::memcpy(&v, p + 2 * i, 2);
      return v;
    }
    case ElemType::kI32: {
      std::int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      return v;
    }
    case ElemType::kI64: {
      std::int64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      return v;
    }
  }
  return 0;
}

}  // namespace intvit::tb
