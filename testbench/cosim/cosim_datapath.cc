#include "testbench/cosim/cosim_datapath.h"

#include <chrono>
#include <stdexcept>

#include "compiler/isa/codec.h"
#include "model/common/error.h"
#include "sim/timing/timing_model.h"

namespace intvit::tb {
namespace {

std::string Hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::vector<std::uint8_t> PackOperand(const sim::Machine& m, const isa::Operand& op) {
  std::vector<std::uint8_t> t(op.rows * op.row_bytes);
  const std::uint8_t* base = m.memory(op.space).data() + op.addr;
  for (std::uint64_t r = 0; r < op.rows; ++r) {
    std::copy(base + r * op.pitch_bytes, base + r * op.pitch_bytes + op.row_bytes,
              t.data() + r * op.row_bytes);
  }
  return t;
}

void UnpackOperand(sim::Machine& m, const isa::Operand& op, const std::vector<std::uint8_t>& t) {
  std::uint8_t* base = m.memory(op.space).data() + op.addr;
  for (std::uint64_t r = 0; r < op.rows; ++r) {
    std::copy(t.data() + r * op.row_bytes, t.data() + (r + 1) * op.row_bytes,
              base + r * op.pitch_bytes);
  }
}

void Add(CosimCycles& c, std::int64_t tlm, std::int64_t rtl, double seconds) {
  ++c.instructions;
  c.tlm_cycles += tlm;
  c.rtl_cycles += rtl;
  c.rtl_seconds += seconds;
}

}  // namespace

std::string CosimMismatch::Text() const {
  return "instruction " + std::to_string(instr) + " (" + unit + ", layer " + layer + ", node " +
         (node.empty() ? "-" : node) + ") at cycle " + std::to_string(cycle) + ": " + tile +
         ", element [" + std::to_string(row) + ", " + std::to_string(col) + "]: executor " +
         std::to_string(expected) + ", RTL " + std::to_string(actual) + " (" +
         std::to_string(differing) + " of " + std::to_string(elements) + " elements differ)";
}

CosimDataPath::CosimDataPath(sim::Machine& m, const compiler::Program& p,
                             std::vector<std::string> node_names, RtlTransactors units,
                             const CosimOptions& options)
    : m_(m),
      p_(p),
      node_names_(std::move(node_names)),
      options_(options),
      units_rtl_(std::move(units)) {
  for (isa::Unit u : compiler::ImplConfig::Units()) {
    if (const auto& t = units_rtl_[static_cast<int>(u)]) {
      descriptions_[std::string(isa::UnitName(u))] = t->Description();
    }
  }
}

CosimDataPath::~CosimDataPath() = default;

void CosimDataPath::CloseWaves() {
  for (auto& t : units_rtl_) t.reset();
}

std::optional<std::int64_t> CosimDataPath::Compute(const isa::Instr& instr, std::size_t index,
                                                   std::int64_t cycle) {
  const isa::Unit unit = isa::UnitOf(instr);
  Transactor* rtl = units_rtl_[static_cast<int>(unit)].get();
  const bool fault = static_cast<std::int64_t>(index) == options_.fault_instr;
  if (rtl == nullptr || instr.rows == 0 || instr.cols == 0) {
    sim::ExecuteInstruction(instr, m_, index);
    if (fault) {
      const isa::Operand dst = DstOperand(instr);
      if (!dst.Empty()) m_.memory(dst.space)[dst.addr] ^= 0x40;
    }
    return std::nullopt;
  }
  sim::CheckOperandBounds(instr, m_, index);
  // The operands as the SRAM model holds them, before the executor writes the destination
  // (which may overlap a source).
  const OperandTiles in = ReadOperandTiles(
      instr, [&](isa::Space s) -> const std::vector<std::uint8_t>& { return m_.memory(s); });
  sim::ExecuteInstruction(instr, m_, index);  // validates the operands, and is the reference
  const isa::Operand dst = DstOperand(instr);
  const std::vector<std::uint8_t> want = PackOperand(m_, dst);

  const auto t0 = std::chrono::steady_clock::now();
  TransactorResult got = rtl->Run(instr, index, cycle, in);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (got.dst.size() != want.size()) {
    throw std::logic_error("cosim: the " + std::string(isa::UnitName(unit)) +
                           " transactor returned " + std::to_string(got.dst.size()) +
                           " bytes for a " + std::to_string(want.size()) + "-byte tile");
  }
  if (fault && !got.dst.empty()) got.dst[0] ^= 0x40;

  if (got.dst != want) {
    const isa::ElemType type = DstElemType(instr);
    const auto cols = static_cast<std::int64_t>(instr.cols);
    const std::size_t n = want.size() / static_cast<std::size_t>(dst.elem_bytes);
    CosimMismatch mm;
    for (std::size_t e = 0; e < n; ++e) {
      const std::int64_t w = TileElement(want, type, e), g = TileElement(got.dst, type, e);
      if (w == g) continue;
      if (mm.differing++ == 0) {
        mm.row = static_cast<std::int64_t>(e) / cols;
        mm.col = static_cast<std::int64_t>(e) % cols;
        mm.expected = w;
        mm.actual = g;
      }
    }
    ++mismatched_;
    if (!first_) {
      mm.instr = index;
      mm.unit = std::string(isa::UnitName(unit));
      mm.layer = p_.LayerName(index);
      mm.node = index < node_names_.size() ? node_names_[index] : "";
      mm.tile = std::string(isa::SpaceName(dst.space)) + "[" + Hex(dst.addr) + "..), " +
                std::to_string(instr.rows) + " x " + std::to_string(instr.cols) + " " +
                std::string(isa::ElemTypeName(type));
      mm.elements = static_cast<std::int64_t>(n);
      mm.cycle = cycle;
      first_ = mm;
    }
  }
  UnpackOperand(m_, dst, got.dst);

  const std::int64_t tlm = sim::DetailedCompute(p_.arch, instr).compute_cycles;
  Add(units_[std::string(isa::UnitName(unit))], tlm, got.cycles, seconds);
  Add(layers_[{p_.LayerName(index), std::string(isa::UnitName(unit))}], tlm, got.cycles, seconds);
  return got.cycles;
}

}  // namespace intvit::tb
