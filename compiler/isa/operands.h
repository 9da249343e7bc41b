// The memory operands of an instruction: which bytes of which memory it reads and writes. One
// definition serves the compiler (dependency tracking), the functional executor (bounds checks,
// tile gathers) and the timed model (traffic), so they cannot disagree about an opcode.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/isa/isa_generated.h"

namespace intvit::isa {

// The four SRAM buffers keep their Buffer ids; DRAM comes after them.
enum class Space : std::uint8_t { kAct = 0, kWgt = 1, kAcc = 2, kVec = 3, kDram = 4 };
inline constexpr int kNumSpaces = 5;
std::string SpaceName(Space s);

// A 2-D block: `rows` rows of `row_bytes` bytes, `pitch_bytes` apart, from byte `addr`.
struct Operand {
  Space space = Space::kAct;
  bool write = false;
  const char* role = "";  // "src0", "dst", "bias", "params", ... for messages
  int elem_bytes = 1;
  std::uint64_t addr = 0;
  std::uint64_t rows = 0;
  std::uint64_t row_bytes = 0;
  std::uint64_t pitch_bytes = 0;

  bool Empty() const { return rows == 0 || row_bytes == 0; }
  // One past the last byte touched (addr when empty).
  std::uint64_t End() const { return Empty() ? addr : addr + (rows - 1) * pitch_bytes + row_bytes; }
};

int ElemBytes(std::uint64_t elem_type);  // 0 for an unknown type

// Every operand of a valid instruction (see Validate), reads before writes. Empty operands
// (zero rows or columns) are omitted.
std::vector<Operand> OperandsOf(const Instr& instr);

}  // namespace intvit::isa
