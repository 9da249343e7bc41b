#include "sim/timing/timing_model.h"

#include <algorithm>
#include <vector>

#include "compiler/isa/codec.h"
#include "compiler/isa/operands.h"
#include "model/common/error.h"

namespace intvit::sim {

TimingMode ParseTimingMode(const std::string& name) {
  if (name == "detailed") return TimingMode::kDetailed;
  if (name == "scalesim") return TimingMode::kScalesim;
  throw InputError("unknown timing mode '" + name + "' (known: detailed, scalesim)");
}

std::string_view TimingModeName(TimingMode m) {
  return m == TimingMode::kDetailed ? "detailed" : "scalesim";
}

std::int64_t SramBytesPerCycle(const compiler::SramConfig& s) {
  return s.banks * s.ports * kSramWordBytes;
}

std::int64_t SramCycles(std::int64_t bytes, const compiler::SramConfig& s) {
  return bytes <= 0 ? 0 : CeilDiv(bytes, SramBytesPerCycle(s));
}

namespace {
constexpr int kAct = static_cast<int>(isa::Buffer::kAct);
constexpr int kWgt = static_cast<int>(isa::Buffer::kWgt);
constexpr int kAcc = static_cast<int>(isa::Buffer::kAcc);
}  // namespace

ArrayShape ArrayShapeOf(const compiler::ArchConfig& a) {
  return {a.array_rows, a.array_cols, a.array_tile_rows, a.array_tile_cols};
}

RowShape RowShapeOf(const compiler::ArchConfig& a, isa::Unit unit) {
  const compiler::RowUnitConfig* u = a.RowUnit(unit);
  Require(u != nullptr, std::string(isa::UnitName(unit)) + " is not a row unit");
  return {u->lanes, a.divider_bits_per_cycle, u->max_cols};
}

GemmTiming DetailedGemm(const compiler::ArchConfig& a, const isa::Instr& g) {
  GemmTiming t;
  const auto m = static_cast<std::int64_t>(g.rows), n = static_cast<std::int64_t>(g.cols),
             k = static_cast<std::int64_t>(g.depth);
  if (m <= 0 || n <= 0) return t;
  if (a.dataflow == "ws") {
    const ArrayShape shape = ArrayShapeOf(a);
    t.folds = ArrayGemmFolds(shape, k, n);
    t.cycles = ArrayGemmCycles(shape, m, k, n);
  } else if (a.dataflow == "os") {
    if (k <= 0) return t;
    t.folds = CeilDiv(m, a.array_rows) * CeilDiv(n, a.array_cols);
    t.cycles = t.folds * (k + (a.array_rows + a.array_cols - 1) + a.array_rows);
  } else {
    throw InputError("array.dataflow '" + a.dataflow +
                     "' is only modelled by the scalesim timing mode (use ws or os)");
  }
  return t;
}

SramTraffic GemmSramTraffic(const compiler::ArchConfig& a, const isa::Instr& g) {
  SramTraffic t;
  const auto m = static_cast<std::int64_t>(g.rows), n = static_cast<std::int64_t>(g.cols),
             k = static_cast<std::int64_t>(g.depth);
  const std::int64_t a_bytes = isa::ElemBytes(g.src0_type);
  const std::int64_t r = a.array_rows, c = a.array_cols;
  const std::int64_t out = m * n * 4;
  t.read[kAct] = CeilDiv(n, c) * m * k * a_bytes;
  if (a.dataflow == "os") {
    t.read[kWgt] = CeilDiv(m, r) * k * n;
    t.write[kAcc] = out;
    t.read[kAcc] = g.accumulate ? out : 0;
  } else {
    const std::int64_t kf = CeilDiv(k, r);
    t.read[kWgt] = k * n;
    t.write[kAcc] = kf * out;
    t.read[kAcc] = (kf - 1 + (g.accumulate ? 1 : 0)) * out;
  }
  if (g.bias && !g.accumulate) t.read[kAcc] += n * 4;
  return t;
}

VectorTiming DetailedVector(const compiler::ArchConfig& a, const isa::Instr& in) {
  VectorTiming t;
  const auto rows = static_cast<std::int64_t>(in.rows), cols = static_cast<std::int64_t>(in.cols);
  if (rows <= 0 || cols <= 0) return t;
  const auto op = static_cast<isa::Opcode>(in.opcode);
  switch (op) {
    case isa::Opcode::kRequant:
      t.beats = rows * CeilDiv(cols, a.requant.lanes);
      t.cycles = RequantCycles(a.requant.lanes, rows, cols);
      return t;
    case isa::Opcode::kAdd:
      t.beats = CeilDiv(rows * cols, a.add.lanes);
      t.cycles = AddCycles(a.add.lanes, rows * cols);
      return t;
    case isa::Opcode::kShiftmax:
    case isa::Opcode::kGelu:
    case isa::Opcode::kLayernorm: {
      const RowShape u = RowShapeOf(a, isa::UnitOf(in));
      t.beats = rows * u.Beats(cols);
      t.row_latency = op == isa::Opcode::kShiftmax ? ShiftmaxRowLatency(u, cols)
                      : op == isa::Opcode::kGelu
                          ? GeluRowLatency(u, cols)
                          : LayerNormRowLatency(u, cols, static_cast<std::int64_t>(in.exp_n));
      t.cycles = RowUnitCycles(rows, t.row_latency);
      return t;
    }
    default:
      return t;  // sync, nop, finish: no time
  }
}

SramTraffic OperandSramTraffic(const isa::Instr& in) {
  SramTraffic t;
  for (const isa::Operand& op : isa::OperandsOf(in)) {
    if (op.space == isa::Space::kDram) continue;
    const auto b = static_cast<int>(op.space);
    const auto bytes = static_cast<std::int64_t>(op.rows * op.row_bytes);
    (op.write ? t.write : t.read)[b] += bytes;
  }
  return t;
}

ComputeTiming DetailedCompute(const compiler::ArchConfig& a, const isa::Instr& in) {
  ComputeTiming t;
  if (static_cast<isa::Opcode>(in.opcode) == isa::Opcode::kGemm) {
    t.compute_cycles = DetailedGemm(a, in).cycles;
    t.traffic = GemmSramTraffic(a, in);
  } else {
    t.compute_cycles = DetailedVector(a, in).cycles;
    t.traffic = OperandSramTraffic(in);
  }
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    t.sram_cycles = std::max(t.sram_cycles,
                             SramCycles(t.traffic.total(b), a.Sram(static_cast<isa::Buffer>(b))));
  }
  t.cycles = std::max(t.compute_cycles, t.sram_cycles);
  return t;
}

void ForEachBurst(const isa::Instr& in, std::int64_t max_burst,
                  const std::function<void(const Burst&)>& f) {
  const bool load = static_cast<isa::Opcode>(in.opcode) == isa::Opcode::kLoad;
  const std::uint64_t rows = in.rows, cols = in.cols;
  const std::uint64_t sram_addr = load ? in.dst_addr : in.src0_addr;
  const std::uint64_t sram_stride = load ? in.dst_stride : in.src0_stride;
  if (rows == 0 || cols == 0) return;
  const bool contiguous = (rows == 1) || (in.dram_stride == cols && sram_stride == cols);
  const std::uint64_t spans = contiguous ? 1 : rows;
  const std::uint64_t span_bytes = contiguous ? rows * cols : cols;
  const auto max_b = static_cast<std::uint64_t>(max_burst);
  for (std::uint64_t s = 0; s < spans; ++s) {
    const std::uint64_t dram0 = in.dram_addr + s * in.dram_stride;
    const std::uint64_t sram0 = sram_addr + s * sram_stride;
    for (std::uint64_t off = 0; off < span_bytes; off += max_b) {
      f(Burst{dram0 + off, sram0 + off, std::min(max_b, span_bytes - off)});
    }
  }
}

std::int64_t DramTransferCycles(std::int64_t bytes, std::int64_t bytes_per_cycle) {
  return CeilDiv(bytes, bytes_per_cycle);
}

std::int64_t IsolatedDmaCycles(const compiler::ArchConfig& a, const isa::Instr& in) {
  const bool load = static_cast<isa::Opcode>(in.opcode) == isa::Opcode::kLoad;
  const auto& sram = a.Sram(static_cast<isa::Buffer>(load ? in.dst_buf : in.src0_buf));
  std::vector<std::int64_t> done;
  std::int64_t issue = 0, channel_free = 0, last = 0;
  const auto depth = static_cast<std::size_t>(a.dma_queue_depth);
  ForEachBurst(in, a.dma_max_burst_bytes, [&](const Burst& b) {
    const auto bytes = static_cast<std::int64_t>(b.bytes);
    if (done.size() >= depth) issue = std::max(issue, done[done.size() - depth]);
    // A load reads DRAM then writes SRAM; a store reads SRAM then writes DRAM.
    std::int64_t t = issue;
    if (!load) t += SramCycles(bytes, sram);
    const std::int64_t start = std::max(t, channel_free);
    channel_free = start + DramTransferCycles(bytes, a.dram_bytes_per_cycle);
    std::int64_t end = channel_free + a.dram_latency_cycles;
    if (load) end += SramCycles(bytes, sram);
    done.push_back(end);
    last = std::max(last, end);
  });
  return last;
}

}  // namespace intvit::sim
