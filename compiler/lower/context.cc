#include "compiler/lower/context.h"

#include "compiler/isa/codec.h"
#include "model/common/error.h"

namespace intvit::compiler {

using isa::Buffer;

isa::ElemType ElemTypeOf(model::DType t) {
  switch (t) {
    case model::DType::kInt8: return isa::ElemType::kI8;
    case model::DType::kUint8: return isa::ElemType::kU8;
    case model::DType::kInt16: return isa::ElemType::kI16;
    case model::DType::kUint16: return isa::ElemType::kU16;
    case model::DType::kInt32: return isa::ElemType::kI32;
    case model::DType::kInt64: return isa::ElemType::kI64;
    case model::DType::kFloat32: break;
  }
  throw InputError("float32 has no accelerator element type");
}

std::uint64_t SramAllocator::Alloc(Buffer b, std::uint64_t bytes, std::string_view name,
                                   int index) {
  std::uint64_t& used = used_[static_cast<int>(b)];
  std::uint64_t addr = used;
  need_[static_cast<int>(b)] = used + bytes;
  used = AlignUp(used + bytes, kSramAlign);
  if (top_of_ != nullptr) {
    // Buffer sizes are whole KiB, so the top-down addresses stay aligned.
    const auto size = static_cast<std::uint64_t>(top_of_->SramBytes(b));
    addr = used <= size ? size - used : 0;
  }
  if (record_) {
    std::string n(name);
    if (index >= 0) n += "[" + std::to_string(index) + "]";
    slots_.push_back({0, b, std::move(n), addr, bytes});
  }
  return addr;
}

std::string SramAllocator::Overflow(const ArchConfig& arch) const {
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    const auto buf = static_cast<Buffer>(b);
    // The last slot's alignment padding does not need to fit.
    const std::uint64_t need = need_[b];
    if (need > static_cast<std::uint64_t>(arch.SramBytes(buf))) {
      return std::string(isa::BufferName(buf)) + " SRAM needs " + std::to_string(need) +
             " bytes but has " + std::to_string(arch.SramBytes(buf));
    }
  }
  return "";
}

Ring Ring::Make(SramAllocator& a, Buffer b, std::uint64_t bytes, int count, std::string_view name) {
  Ring r;
  r.bytes = bytes;
  r.slots.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) r.slots.push_back(a.Alloc(b, bytes, name, count > 1 ? i : -1));
  return r;
}

std::uint64_t ChannelTable::SramBytes(std::int64_t entries, int entry_bytes, std::int64_t chunk) {
  if (entries <= 1 || chunk == 0 || chunk >= entries) {
    return AlignUp(static_cast<std::uint64_t>(entries * entry_bytes), kSramAlign);
  }
  return 2 * AlignUp(static_cast<std::uint64_t>(chunk * entry_bytes), kSramAlign);
}

ChannelTable::ChannelTable(SramAllocator& a, Buffer buf, std::uint64_t dram_addr,
                           std::int64_t entries, int entry_bytes, std::int64_t chunk,
                           std::string_view name)
    : buf_(buf), dram_addr_(dram_addr), entries_(entries), entry_bytes_(entry_bytes) {
  chunk_ = (entries <= 1 || chunk >= entries) ? 0 : chunk;
  if (chunk_ == 0) {
    ring_ = Ring::Make(a, buf, static_cast<std::uint64_t>(entries * entry_bytes), 1, name);
  } else {
    ring_ = Ring::Make(a, buf, static_cast<std::uint64_t>(chunk_ * entry_bytes), 2, name);
  }
}

ChannelTable::View ChannelTable::Use(Lowering& lw, std::int64_t c0, std::int64_t n) {
  const auto eb = static_cast<std::uint64_t>(entry_bytes_);
  if (chunk_ == 0) {
    if (!loaded_) {
      // One row when it fits the 16-bit column count, else one row per entry.
      const auto total = static_cast<std::uint64_t>(entries_) * eb;
      if (total <= kMaxRows) {
        lw.Load(buf_, ring_.slots[0], total, dram_addr_, total, 1, total);
      } else {
        lw.Load(buf_, ring_.slots[0], eb, dram_addr_, eb, static_cast<std::uint64_t>(entries_), eb);
      }
      loaded_ = true;
    }
    return {ring_.slots[0], entries_ > 1 ? static_cast<std::uint64_t>(c0) : 0};
  }
  if (n > chunk_) throw std::logic_error("channel table chunk exceeded");
  for (int s = 0; s < 2; ++s) {
    if (slot_c0_[s] == c0) return {ring_.slots[s], 0};
  }
  const std::size_t s = ring_.next % 2;
  const std::uint64_t addr = ring_.Next();
  const std::uint64_t bytes = static_cast<std::uint64_t>(n) * eb;
  if (bytes <= kMaxRows) {
    lw.Load(buf_, addr, bytes, dram_addr_ + static_cast<std::uint64_t>(c0) * eb, bytes, 1, bytes);
  } else {
    lw.Load(buf_, addr, eb, dram_addr_ + static_cast<std::uint64_t>(c0) * eb, eb,
            static_cast<std::uint64_t>(n), eb);
  }
  slot_c0_[s] = c0;
  return {addr, 0};
}

std::uint64_t RequantTables::SramBytes(const RequantRef& ref, std::int64_t chunk) {
  std::uint64_t b = ChannelTable::SramBytes(ref.entries(), 16, chunk);
  if (ref.params->HasResidual()) b += ChannelTable::SramBytes(ref.res_entries(), 16, chunk);
  return b;
}

RequantTables::RequantTables(SramAllocator& a, const RequantRef& ref, std::int64_t chunk,
                             std::string_view name, std::string_view res_name)
    : ref_(ref), main_(a, Buffer::kVec, ref.me_addr, ref.entries(), 16, chunk, name) {
  if (ref.params->HasResidual()) {
    res_ = ChannelTable(a, Buffer::kVec, ref.res_addr, ref.res_entries(), 16, chunk, res_name);
  }
}

void RequantTables::Fill(Lowering& lw, isa::Instr& i, std::int64_t c0, std::int64_t cols) {
  const ChannelTable::View m = main_.Use(lw, c0, cols);
  i.aux_addr = m.base;
  i.per_channel = main_.per_channel() ? 1 : 0;
  std::uint64_t channel0 = main_.per_channel() ? m.channel0 : 0;
  if (res_.valid()) {
    const ChannelTable::View r = res_.Use(lw, c0, cols);
    i.aux2_addr = r.base;
    i.res_per_channel = res_.per_channel() ? 1 : 0;
    if (res_.per_channel()) {
      if (main_.per_channel() && r.channel0 != channel0) {
        throw std::logic_error("requant tables disagree on channel0");
      }
      channel0 = r.channel0;
    }
    i.residual = 1;
  }
  i.channel0 = channel0;
  i.out_bits = static_cast<std::uint64_t>(ref_.params->out_bits);
  i.rounding = ref_.params->rounding == model::Rounding::kHalfUp ? 1 : 0;
}

SramAllocator& Lowering::BeginLayer(const std::string& name, const std::string& kind,
                                    std::vector<std::string> nodes, std::int64_t macs,
                                    const std::string& tiling) {
  LayerInfo info;
  info.name = name;
  info.kind = kind;
  info.nodes = std::move(nodes);
  info.macs = macs;
  info.tiling = tiling;
  info.first_instr = program_.instrs.size();
  program_.layers.push_back(std::move(info));
  emitter_.SetLayer(layer());
  emitter_.SetNode(-1);
  // Even layers allocate from the bottom of each buffer, odd ones from the top.
  alloc_ = SramAllocator(/*record=*/true, layer() % 2 ? &program_.arch : nullptr);
  read0_ = emitter_.dram_read_bytes();
  write0_ = emitter_.dram_write_bytes();
  return alloc_;
}

void Lowering::EndLayer() {
  LayerInfo& info = program_.layers.back();
  info.num_instrs = program_.instrs.size() - info.first_instr;
  info.dram_read_bytes = emitter_.dram_read_bytes() - read0_;
  info.dram_write_bytes = emitter_.dram_write_bytes() - write0_;
  const std::string overflow = alloc_.Overflow(program_.arch);
  if (!overflow.empty()) {
    throw std::logic_error("layer " + info.name + ": the tiling overflows: " + overflow);
  }
  for (SramSlot s : alloc_.slots()) {
    s.layer = layer();
    program_.memory.sram.push_back(s);
  }
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    auto& peak = program_.memory.sram_peak[b];
    peak = std::max(peak, alloc_.Footprint(static_cast<Buffer>(b)));
  }
}

std::size_t Lowering::Emit(const isa::Instr& i) {
  try {
    isa::Validate(i);
  } catch (const InputError& e) {
    throw InputError("layer " + program_.layers.back().name + ": " + e.what());
  }
  return emitter_.Emit(i);
}

void Lowering::Load(Buffer dst, std::uint64_t sram_addr, std::uint64_t sram_pitch,
                    std::uint64_t dram_addr, std::uint64_t dram_pitch, std::uint64_t rows,
                    std::uint64_t row_bytes) {
  Dma(isa::Opcode::kLoad, dst, sram_addr, sram_pitch, dram_addr, dram_pitch, rows, row_bytes);
}

void Lowering::Store(Buffer src, std::uint64_t sram_addr, std::uint64_t sram_pitch,
                     std::uint64_t dram_addr, std::uint64_t dram_pitch, std::uint64_t rows,
                     std::uint64_t row_bytes) {
  Dma(isa::Opcode::kStore, src, sram_addr, sram_pitch, dram_addr, dram_pitch, rows, row_bytes);
}

// A load names its SRAM side with the dst fields, a store with the src0 fields; otherwise the
// two are the same instruction. One-row transfers carry the row length as their strides.
void Lowering::Dma(isa::Opcode op, Buffer buf, std::uint64_t sram_addr, std::uint64_t sram_pitch,
                   std::uint64_t dram_addr, std::uint64_t dram_pitch, std::uint64_t rows,
                   std::uint64_t row_bytes) {
  const std::string& layer = program_.layers.back().name;
  const std::string what = op == isa::Opcode::kLoad ? "load" : "store";
  CheckLimit(layer, (what + " rows").c_str(), rows, kMaxRows);
  CheckLimit(layer, (what + " row bytes").c_str(), row_bytes, kMaxRows);
  CheckLimit(layer, (what + " SRAM pitch").c_str(), sram_pitch, kMaxStride);
  CheckLimit(layer, (what + " DRAM pitch").c_str(), dram_pitch, kMaxDramStride);
  isa::Instr i;
  i.opcode = static_cast<std::uint64_t>(op);
  const std::uint64_t sram_stride = rows > 1 ? sram_pitch : row_bytes;
  if (op == isa::Opcode::kLoad) {
    i.dst_buf = static_cast<std::uint64_t>(buf);
    i.dst_addr = sram_addr;
    i.dst_stride = sram_stride;
  } else {
    i.src0_buf = static_cast<std::uint64_t>(buf);
    i.src0_addr = sram_addr;
    i.src0_stride = sram_stride;
  }
  i.dram_addr = dram_addr;
  i.dram_stride = rows > 1 ? dram_pitch : row_bytes;
  i.rows = rows;
  i.cols = row_bytes;
  Emit(i);
}

void CheckLimit(const std::string& layer, const char* what, std::uint64_t value,
                std::uint64_t limit) {
  if (value <= limit) return;
  throw InputError("layer " + layer + ": " + what + " = " + std::to_string(value) +
                   " exceeds the ISA limit " + std::to_string(limit));
}

}  // namespace intvit::compiler

