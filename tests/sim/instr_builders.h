// Small builders for hand-written programs in the TLM tests.
#pragma once

#include <cstdint>

#include "compiler/isa/isa_generated.h"

namespace intvit::sim::testing {

inline isa::Instr Wait(isa::Instr in, isa::Unit u, std::uint64_t count, int slot = 0) {
  const auto unit = static_cast<std::uint64_t>(u);
  if (slot == 0) in.wait0_unit = unit, in.wait0_count = count;
  if (slot == 1) in.wait1_unit = unit, in.wait1_count = count;
  if (slot == 2) in.wait2_unit = unit, in.wait2_count = count;
  return in;
}

inline isa::Instr Load(isa::Buffer dst, std::uint64_t rows, std::uint64_t cols,
                       std::uint64_t dram_stride = 0, std::uint64_t dst_stride = 0,
                       std::uint64_t dram_addr = 0, std::uint64_t dst_addr = 0) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(isa::Opcode::kLoad);
  in.dst_buf = static_cast<std::uint64_t>(dst);
  in.rows = rows, in.cols = cols;
  in.dram_stride = dram_stride ? dram_stride : cols;
  in.dst_stride = dst_stride ? dst_stride : cols;
  in.dram_addr = dram_addr, in.dst_addr = dst_addr;
  return in;
}

inline isa::Instr Store(isa::Buffer src, std::uint64_t rows, std::uint64_t cols,
                        std::uint64_t dram_addr = 0, std::uint64_t src_addr = 0) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(isa::Opcode::kStore);
  in.src0_buf = static_cast<std::uint64_t>(src);
  in.rows = rows, in.cols = cols;
  in.dram_stride = cols, in.src0_stride = cols;
  in.dram_addr = dram_addr, in.src0_addr = src_addr;
  return in;
}

inline isa::Instr Gemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, bool u16 = false) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(isa::Opcode::kGemm);
  in.rows = m, in.cols = n, in.depth = k;
  in.src0_type = static_cast<std::uint64_t>(u16 ? isa::ElemType::kU16 : isa::ElemType::kI8);
  in.src0_stride = k, in.src1_stride = k, in.dst_stride = n;
  return in;
}

// A row-wise or element-wise vector instruction of `rows` x `cols` with default operands.
inline isa::Instr Vector(isa::Opcode op, std::uint64_t rows, std::uint64_t cols,
                         std::uint64_t exp_n = 0) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(op);
  in.rows = rows, in.cols = cols;
  in.src0_stride = cols, in.src1_stride = cols, in.dst_stride = cols;
  in.exp_n = exp_n;
  if (op == isa::Opcode::kRequant) {
    in.src0_buf = static_cast<std::uint64_t>(isa::Buffer::kAcc);
    in.src0_type = static_cast<std::uint64_t>(isa::ElemType::kI32);
    in.dst_buf = static_cast<std::uint64_t>(isa::Buffer::kAct);
    in.dst_type = static_cast<std::uint64_t>(isa::ElemType::kI8);
    in.out_bits = 8;
  }
  return in;
}

inline isa::Instr Finish() {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(isa::Opcode::kFinish);
  return in;
}

inline isa::Instr Sync(isa::Unit target) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(isa::Opcode::kSync);
  in.target_unit = static_cast<std::uint64_t>(target);
  return in;
}

}  // namespace intvit::sim::testing
