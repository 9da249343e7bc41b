#include "sim/isa/machine.h"

#include <gtest/gtest.h>

#include <cstring>

#include "compiler/isa/codec.h"
#include "model/common/error.h"
#include "model/ops/matmul.h"
#include "model/ops/requant.h"
#include "sim/isa/executor.h"

namespace intvit::sim {
namespace {

using isa::Buffer;
using isa::ElemType;
using isa::Instr;
using isa::Opcode;

constexpr std::uint64_t Op(Opcode o) { return static_cast<std::uint64_t>(o); }
constexpr std::uint64_t B(Buffer b) { return static_cast<std::uint64_t>(b); }
constexpr std::uint64_t T(ElemType t) { return static_cast<std::uint64_t>(t); }

compiler::ArchConfig SmallArch() {
  compiler::ArchConfig a;
  a.act.kib = 4, a.wgt.kib = 4, a.acc.kib = 4, a.vec.kib = 4;
  return a;
}

Instr Load(Buffer dst, std::uint64_t addr, std::uint64_t rows, std::uint64_t cols,
           std::uint64_t dram) {
  Instr i{.opcode = Op(Opcode::kLoad)};
  i.dst_buf = B(dst), i.dst_addr = addr, i.rows = rows, i.cols = cols;
  i.dst_stride = cols, i.dram_stride = cols, i.dram_addr = dram;
  return i;
}

template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

TEST(Machine, AProgramThatOverflowsAnSramIsAClearError) {
  // The second load writes 64 rows of 128 bytes from act[0x0100]: 8448 bytes past 0x100 in a
  // 4 KiB buffer.
  const std::vector<Instr> prog = {Load(Buffer::kAct, 0, 1, 64, 0),
                                   Load(Buffer::kAct, 0x100, 64, 128, 0)};
  const std::string msg =
      ErrorOf([&] { RunInstructions(SmallArch(), prog, std::vector<std::uint8_t>(1 << 16)); });
  EXPECT_NE(msg.find("instruction 1 (load)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("writes act [0x100, 0x2100)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("4096-byte act SRAM"), std::string::npos) << msg;
}

TEST(Machine, DramOverflowIsAnErrorToo) {
  const std::vector<Instr> prog = {Load(Buffer::kWgt, 0, 2, 64, 0xff0)};
  const std::string msg =
      ErrorOf([&] { RunInstructions(SmallArch(), prog, std::vector<std::uint8_t>(4096)); });
  EXPECT_NE(msg.find("reads dram"), std::string::npos) << msg;
}

TEST(Machine, AWaitNoEarlierInstructionSatisfiesIsADeadlock) {
  Instr l = Load(Buffer::kAct, 0, 1, 16, 0);
  l.wait0_unit = static_cast<std::uint64_t>(isa::Unit::kArray), l.wait0_count = 1;
  EXPECT_NE(ErrorOf([&] {
              RunInstructions(SmallArch(), {l}, std::vector<std::uint8_t>(64));
            }).find("deadlocks"),
            std::string::npos);
  ExecOptions o;
  o.shuffle_seed = 1;
  EXPECT_NE(ErrorOf([&] {
              RunInstructions(SmallArch(), {l}, std::vector<std::uint8_t>(64), o);
            }).find("deadlocks"),
            std::string::npos);
}

TEST(Machine, GemmWithUint16AAndKnBEqualsMatMulAndAccumulates) {
  Machine m(SmallArch(), {});
  const std::int64_t M = 3, K = 5, N = 4;
  std::vector<std::uint16_t> a(M * K);
  std::vector<std::int8_t> b(K * N);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint16_t>(1000 * i + 7);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::int8_t>(i * 37 - 90);
  std::memcpy(m.memory(isa::Space::kAct).data() + 64, a.data(), a.size() * 2);
  std::memcpy(m.memory(isa::Space::kWgt).data(), b.data(), b.size());
  Instr g{.opcode = Op(Opcode::kGemm)};
  g.src0_addr = 64, g.src0_type = T(ElemType::kU16), g.src0_stride = K;
  g.src1_stride = N, g.b_kn = 1, g.dst_stride = N;
  g.rows = M, g.cols = N, g.depth = K;
  ExecuteInstruction(g, m);
  g.accumulate = 1;
  ExecuteInstruction(g, m);
  std::vector<std::int32_t> want(M * N), got(M * N);
  model::MatMul<std::uint16_t>({1, M, K, N}, a, b, want);
  std::memcpy(got.data(), m.memory(isa::Space::kAcc).data(), got.size() * 4);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], 2 * want[i]);
  EXPECT_EQ(m.macs, 2u * M * N * K);
}

TEST(Machine, GemmOverflowingInt32IsAnError) {
  Machine m(SmallArch(), {});
  std::vector<std::uint16_t> a(1024, 65535);
  std::vector<std::int8_t> b(1024, 127);
  std::memcpy(m.memory(isa::Space::kAct).data(), a.data(), 2048);
  std::memcpy(m.memory(isa::Space::kWgt).data(), b.data(), 1024);
  Instr g{.opcode = Op(Opcode::kGemm)};
  g.src0_type = T(ElemType::kU16), g.src0_stride = 1024, g.src1_stride = 1024;
  g.dst_stride = 1, g.rows = 1, g.cols = 1, g.depth = 1024;
  EXPECT_NE(ErrorOf([&] {
              ExecuteInstruction(g, m, 9);
            }).find("instruction 9 (gemm): the int32 accumulator overflows"),
            std::string::npos);
}

TEST(Machine, RequantUsesTheChannelSliceAndTheResidual) {
  Machine m(SmallArch(), {});
  // x: i16 [2, 3] in act; res: i16 [2, 3]; 5 channel pairs in vec, the tile covers 2..4.
  const std::vector<std::int16_t> x = {100, -200, 300, -400, 500, -600};
  const std::vector<std::int16_t> r = {7, 8, 9, 10, 11, 12};
  std::memcpy(m.memory(isa::Space::kAct).data(), x.data(), 12);
  std::memcpy(m.memory(isa::Space::kAct).data() + 64, r.data(), 12);
  model::RequantParams p;
  p.out_bits = 8;
  std::vector<std::int64_t> pairs, res_pairs;
  for (int c = 0; c < 5; ++c) {
    p.mult.push_back({(std::int64_t{1} << 30) + c * 12345, 31 + c});
    pairs.push_back(p.mult.back().m), pairs.push_back(p.mult.back().e);
  }
  res_pairs = {std::int64_t{1} << 30, 30};
  std::memcpy(m.memory(isa::Space::kVec).data(), pairs.data(), pairs.size() * 8);
  std::memcpy(m.memory(isa::Space::kVec).data() + 256, res_pairs.data(), 16);
  Instr q{.opcode = Op(Opcode::kRequant)};
  q.src0_buf = B(Buffer::kAct), q.src0_type = T(ElemType::kI16), q.src0_stride = 3;
  q.src1_buf = B(Buffer::kAct), q.src1_addr = 64, q.src1_type = T(ElemType::kI16),
  q.src1_stride = 3;
  q.dst_buf = B(Buffer::kAct), q.dst_addr = 128, q.dst_type = T(ElemType::kI8), q.dst_stride = 3;
  q.aux_addr = 0, q.aux2_addr = 256, q.rows = 2, q.cols = 3, q.channel0 = 2;
  q.per_channel = 1, q.residual = 1, q.out_bits = 8;
  ExecuteInstruction(q, m);
  model::RequantParams slice;
  slice.out_bits = 8;
  slice.mult = {p.mult[2], p.mult[3], p.mult[4]};
  slice.mult_res = {{std::int64_t{1} << 30, 30}};
  std::vector<std::int8_t> want(6);
  model::Requant<std::int16_t, std::int16_t, std::int8_t>(slice, 3, x, r, want);
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(static_cast<std::int8_t>(m.memory(isa::Space::kAct)[128 + k]), want[k]) << k;
  }
  q.dst_type = T(ElemType::kI32);
  EXPECT_NE(ErrorOf([&] { ExecuteInstruction(q, m); }).find("requant writes i8 or i16"),
            std::string::npos);
  q.dst_type = T(ElemType::kI8);
  std::int64_t bad_e = 500;
  std::memcpy(m.memory(isa::Space::kVec).data() + 2 * 16 + 8, &bad_e, 8);
  EXPECT_NE(ErrorOf([&] { ExecuteInstruction(q, m); }).find("exponent"), std::string::npos);
}

TEST(Machine, AddSaturatesInt16) {
  Machine m(SmallArch(), {});
  const std::vector<std::int16_t> a = {32000, -32000, 5}, b = {1000, -1000, -7};
  std::memcpy(m.memory(isa::Space::kAct).data(), a.data(), 6);
  std::memcpy(m.memory(isa::Space::kAct).data() + 8, b.data(), 6);
  Instr i{.opcode = Op(Opcode::kAdd)};
  i.src1_addr = 8, i.dst_addr = 16, i.rows = 1, i.cols = 3;
  i.src0_stride = i.src1_stride = i.dst_stride = 3;
  ExecuteInstruction(i, m);
  std::int16_t y[3];
  std::memcpy(y, m.memory(isa::Space::kAct).data() + 16, 6);
  EXPECT_EQ(y[0], 32767);
  EXPECT_EQ(y[1], -32768);
  EXPECT_EQ(y[2], -2);
}

TEST(Machine, BadNonlinearParametersNameTheInstruction) {
  Machine m(SmallArch(), {});
  Instr s{.opcode = Op(Opcode::kShiftmax)};
  s.rows = 1, s.cols = 4, s.src0_stride = 4, s.dst_stride = 4, s.imm = 5;  // x0 must be < 0
  s.exp_n = 15, s.out_bits = 16;
  EXPECT_NE(ErrorOf([&] { ExecuteInstruction(s, m, 3); }).find("instruction 3 (shiftmax)"),
            std::string::npos);
}

}  // namespace
}  // namespace intvit::sim
