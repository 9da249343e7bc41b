#include "compiler/isa/operands.h"

namespace intvit::isa {

std::string SpaceName(Space s) {
  return s == Space::kDram ? "dram" : std::string(BufferName(static_cast<Buffer>(s)));
}

int ElemBytes(std::uint64_t t) {
  switch (t) {
    case static_cast<std::uint64_t>(ElemType::kI8):
    case static_cast<std::uint64_t>(ElemType::kU8):
      return 1;
    case static_cast<std::uint64_t>(ElemType::kI16):
    case static_cast<std::uint64_t>(ElemType::kU16):
      return 2;
    case static_cast<std::uint64_t>(ElemType::kI32):
      return 4;
    case static_cast<std::uint64_t>(ElemType::kI64):
      return 8;
    default:
      return 0;
  }
}

namespace {

// rows x cols elements of `es` bytes, pitch in elements.
Operand Block(Space space, bool write, const char* role, int es, std::uint64_t addr,
              std::uint64_t rows, std::uint64_t cols, std::uint64_t pitch_elems) {
  return {space, write, role, es, addr, rows, cols * es, pitch_elems * es};
}

Space Sp(std::uint64_t buf) { return static_cast<Space>(buf); }
Space Sp(Buffer buf) { return static_cast<Space>(buf); }

}  // namespace

std::vector<Operand> OperandsOf(const Instr& i) {
  std::vector<Operand> ops;
  auto add = [&](const Operand& o) {
    if (!o.Empty()) ops.push_back(o);
  };
  const std::uint64_t r = i.rows, c = i.cols;
  switch (static_cast<Opcode>(i.opcode)) {
    case Opcode::kNop:
    case Opcode::kSync:
    case Opcode::kFinish:
      break;
    case Opcode::kLoad:
      add(Block(Space::kDram, false, "dram", 1, i.dram_addr, r, c, i.dram_stride));
      add(Block(Sp(i.dst_buf), true, "dst", 1, i.dst_addr, r, c, i.dst_stride));
      break;
    case Opcode::kStore:
      add(Block(Sp(i.src0_buf), false, "src0", 1, i.src0_addr, r, c, i.src0_stride));
      add(Block(Space::kDram, true, "dram", 1, i.dram_addr, r, c, i.dram_stride));
      break;
    case Opcode::kGemm: {
      const std::uint64_t k = i.depth;
      add(Block(Sp(Buffer::kAct), false, "A", ElemBytes(i.src0_type), i.src0_addr, r, k,
                i.src0_stride));
      if (i.b_kn) {
        add(Block(Sp(Buffer::kWgt), false, "B", 1, i.src1_addr, k, c, i.src1_stride));
      } else {
        add(Block(Sp(Buffer::kWgt), false, "B", 1, i.src1_addr, c, k, i.src1_stride));
      }
      if (i.bias) add(Block(Sp(Buffer::kAcc), false, "bias", 4, i.aux_addr, 1, c, c));
      if (i.accumulate) add(Block(Sp(Buffer::kAcc), false, "acc", 4, i.dst_addr, r, c, i.dst_stride));
      add(Block(Sp(Buffer::kAcc), true, "dst", 4, i.dst_addr, r, c, i.dst_stride));
      break;
    }
    case Opcode::kRequant: {
      add(Block(Sp(i.src0_buf), false, "src0", ElemBytes(i.src0_type), i.src0_addr, r, c,
                i.src0_stride));
      const std::uint64_t n = i.per_channel ? c : 1;
      const std::uint64_t first = i.per_channel ? i.channel0 : 0;
      add(Block(Sp(Buffer::kVec), false, "params", 16, i.aux_addr + 16 * first, 1, n, n));
      if (i.residual) {
        add(Block(Sp(i.src1_buf), false, "src1", ElemBytes(i.src1_type), i.src1_addr, r, c,
                  i.src1_stride));
        const std::uint64_t nr = i.res_per_channel ? c : 1;
        const std::uint64_t fr = i.res_per_channel ? i.channel0 : 0;
        add(Block(Sp(Buffer::kVec), false, "res_params", 16, i.aux2_addr + 16 * fr, 1, nr, nr));
      }
      add(Block(Sp(i.dst_buf), true, "dst", ElemBytes(i.dst_type), i.dst_addr, r, c,
                i.dst_stride));
      break;
    }
    case Opcode::kShiftmax:
      add(Block(Sp(Buffer::kAct), false, "src0", 1, i.src0_addr, r, c, i.src0_stride));
      add(Block(Sp(Buffer::kAct), true, "dst", 2, i.dst_addr, r, c, i.dst_stride));
      break;
    case Opcode::kGelu:
      add(Block(Sp(Buffer::kAct), false, "src0", 1, i.src0_addr, r, c, i.src0_stride));
      add(Block(Sp(Buffer::kVec), true, "dst", 4, i.dst_addr, r, c, i.dst_stride));
      break;
    case Opcode::kLayernorm:
      add(Block(Sp(Buffer::kAct), false, "src0", 2, i.src0_addr, r, c, i.src0_stride));
      add(Block(Sp(Buffer::kVec), false, "bias_int", 8, i.aux_addr, 1, c, c));
      add(Block(Sp(Buffer::kVec), true, "dst", 8, i.dst_addr, r, c, i.dst_stride));
      break;
    case Opcode::kAdd:
      add(Block(Sp(Buffer::kAct), false, "src0", 2, i.src0_addr, r, c, i.src0_stride));
      add(Block(Sp(Buffer::kAct), false, "src1", 2, i.src1_addr, r, c, i.src1_stride));
      add(Block(Sp(Buffer::kAct), true, "dst", 2, i.dst_addr, r, c, i.dst_stride));
      break;
  }
  return ops;
}

}  // namespace intvit::isa
