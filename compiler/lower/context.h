// Shared machinery of the lowering: DRAM tensors, the per-layer SRAM allocator, parameter
// tables that live in SRAM (whole or in column chunks), and instruction builders.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "compiler/lower/emitter.h"
#include "compiler/program.h"
#include "model/ops/requant.h"
#include "model/tensor/dtype.h"

namespace intvit::compiler {

inline constexpr std::uint64_t kSramAlign = 64;
inline constexpr std::uint64_t kDramAlign = 64;
inline constexpr std::uint64_t kMaxRows = 65535;       // rows, cols, depth, channel0
inline constexpr std::uint64_t kMaxStride = 65535;     // SRAM strides, elements
inline constexpr std::uint64_t kMaxDramStride = (1u << 24) - 1;

inline std::uint64_t AlignUp(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }
inline std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

isa::ElemType ElemTypeOf(model::DType t);

// A row-major 2-D tensor in DRAM: element (r, c) at addr + r * pitch + c * elem bytes.
struct DramTensor {
  std::string name;
  std::uint64_t addr = 0;
  std::int64_t rows = 0, cols = 0;
  model::DType dtype = model::DType::kInt8;
  std::uint64_t pitch = 0;  // bytes
  int es() const { return model::DTypeSize(dtype); }
  std::uint64_t At(std::int64_t r, std::int64_t c) const {
    return addr + static_cast<std::uint64_t>(r) * pitch + static_cast<std::uint64_t>(c * es());
  }
};

// Bump allocation for one layer. Used twice: by the tile planner on a scratch instance to see
// whether a tiling fits, and by the lowering for real. A recording allocator may allocate
// downward from the top of each buffer (the compiler alternates by layer), so that consecutive
// layers overlap less in SRAM and a timed model can prefetch the next layer's operands while
// the previous one finishes; the footprint is the same either way.
class SramAllocator {
 public:
  // `record`: keep named slots (for the memory map); the planner's scratch instances do not.
  // `top_of` (with record): allocate downward from the end of each of these buffer sizes.
  explicit SramAllocator(bool record = false, const ArchConfig* top_of = nullptr)
      : record_(record), top_of_(top_of) {}
  // `index` >= 0 appends "[index]" to the slot name.
  std::uint64_t Alloc(isa::Buffer b, std::uint64_t bytes, std::string_view name, int index = -1);
  // Bytes of the buffer the layer occupies (excluding the last slot's alignment padding).
  std::uint64_t Footprint(isa::Buffer b) const { return need_[static_cast<int>(b)]; }
  // Empty when everything fits; else "<buffer> SRAM needs N bytes but has M".
  std::string Overflow(const ArchConfig& arch) const;
  bool Fits(const ArchConfig& arch) const { return Overflow(arch).empty(); }
  const std::vector<SramSlot>& slots() const { return slots_; }

 private:
  bool record_ = false;
  const ArchConfig* top_of_ = nullptr;
  std::array<std::uint64_t, isa::kNumBuffers> used_{};  // aligned cursor
  std::array<std::uint64_t, isa::kNumBuffers> need_{};  // cursor before padding
  std::vector<SramSlot> slots_;
};

// Round-robin slots of equal size.
struct Ring {
  std::vector<std::uint64_t> slots;
  std::uint64_t bytes = 0;
  std::size_t next = 0;
  static Ring Make(SramAllocator& a, isa::Buffer b, std::uint64_t bytes, int count,
                   std::string_view name);
  std::uint64_t Next() { return slots[next++ % slots.size()]; }
  std::uint64_t At(std::size_t i) const { return slots[i % slots.size()]; }
};

class Lowering;

// A per-channel table in DRAM (requant (m, e) pairs, biases, bias_int) placed in SRAM either
// whole ("resident", loaded on first use) or one column chunk at a time in a two-slot ring.
class ChannelTable {
 public:
  ChannelTable() = default;
  // `entries` is 1 for a per-tensor table. `chunk` = 0 means resident.
  ChannelTable(SramAllocator& a, isa::Buffer buf, std::uint64_t dram_addr, std::int64_t entries,
               int entry_bytes, std::int64_t chunk, std::string_view name);
  static std::uint64_t SramBytes(std::int64_t entries, int entry_bytes, std::int64_t chunk);
  // The SRAM address of the table as seen by an instruction covering channels [c0, c0 + n),
  // and the channel index of c0 relative to it. Loads the data if needed.
  struct View {
    std::uint64_t base = 0;
    std::uint64_t channel0 = 0;
  };
  View Use(Lowering& lw, std::int64_t c0, std::int64_t n);
  bool per_channel() const { return entries_ > 1; }
  bool valid() const { return entry_bytes_ > 0; }

 private:
  isa::Buffer buf_ = isa::Buffer::kVec;
  std::uint64_t dram_addr_ = 0;
  std::int64_t entries_ = 0;
  int entry_bytes_ = 0;
  std::int64_t chunk_ = 0;
  Ring ring_;
  bool loaded_ = false;
  std::array<std::int64_t, 2> slot_c0_{-1, -1};
};

// DRAM location of a requant point's parameters, and its semantics.
struct RequantRef {
  const model::RequantParams* params = nullptr;
  std::uint64_t me_addr = 0;   // (m, e) pairs
  std::uint64_t res_addr = 0;  // residual pairs, when params->HasResidual()
  std::int64_t entries() const { return static_cast<std::int64_t>(params->mult.size()); }
  std::int64_t res_entries() const { return static_cast<std::int64_t>(params->mult_res.size()); }
};

// The main and residual tables of one requant point; both use the same chunking so that one
// channel0 field serves both.
class RequantTables {
 public:
  RequantTables() = default;
  // `name` names the slot of the (m, e) pairs, `res_name` that of the residual pairs.
  RequantTables(SramAllocator& a, const RequantRef& ref, std::int64_t chunk,
                std::string_view name, std::string_view res_name);
  static std::uint64_t SramBytes(const RequantRef& ref, std::int64_t chunk);
  // Emits a requant of a rows x cols tile whose first column is channel c0. The caller fills
  // sources, destination, rows, cols; this fills params, channel0, out_bits, rounding.
  void Fill(Lowering& lw, isa::Instr& i, std::int64_t c0, std::int64_t cols);
  const RequantRef& ref() const { return ref_; }

 private:
  RequantRef ref_;
  ChannelTable main_, res_;
};

// The state of one compilation: program under construction, emitter, current layer.
class Lowering {
 public:
  Lowering(Program& p, std::uint64_t dram_read_only_end)
      : program_(p), emitter_(p.instrs, dram_read_only_end, &p.instr_node) {}
  const ArchConfig& arch() const { return program_.arch; }
  Program& program() { return program_; }

  // Opens a layer: its instructions, SRAM slots and traffic are attributed to it.
  SramAllocator& BeginLayer(const std::string& name, const std::string& kind,
                            std::vector<std::string> nodes, std::int64_t macs,
                            const std::string& tiling);
  void EndLayer();
  int layer() const { return static_cast<int>(program_.layers.size()) - 1; }

  // The Graph node (index) the instructions emitted from now on work for: the lowering sets it
  // before the loads that feed a computation, keeps it for the computation and the stores of
  // its result, and the emitter records it with every instruction (Program::instr_node).
  void SetNode(int node) { emitter_.SetNode(node); }
  // Appends an instruction; a field outside the ISA's limits is an InputError naming the layer.
  std::size_t Emit(const isa::Instr& i);
  // DMA helpers; rows x cols elements of `es` bytes.
  void Load(isa::Buffer dst, std::uint64_t sram_addr, std::uint64_t sram_pitch_bytes,
            std::uint64_t dram_addr, std::uint64_t dram_pitch_bytes, std::uint64_t rows,
            std::uint64_t row_bytes);
  void Store(isa::Buffer src, std::uint64_t sram_addr, std::uint64_t sram_pitch_bytes,
             std::uint64_t dram_addr, std::uint64_t dram_pitch_bytes, std::uint64_t rows,
             std::uint64_t row_bytes);

 private:
  void Dma(isa::Opcode op, isa::Buffer buf, std::uint64_t sram_addr, std::uint64_t sram_pitch,
           std::uint64_t dram_addr, std::uint64_t dram_pitch, std::uint64_t rows,
           std::uint64_t row_bytes);

  Program& program_;
  Emitter emitter_;
  SramAllocator alloc_;
  std::uint64_t read0_ = 0, write0_ = 0;
};

// Throws InputError naming the layer when `value` exceeds an ISA field limit.
void CheckLimit(const std::string& layer, const char* what, std::uint64_t value,
                std::uint64_t limit);

}  // namespace intvit::compiler
