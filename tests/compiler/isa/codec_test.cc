#include "compiler/isa/codec.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "compiler/isa/operands.h"
#include "model/common/error.h"

namespace intvit::isa {
namespace {

// A random instruction of `op`: every field the opcode uses gets a random in-range value
// (enumerations a legal one), every other field stays zero.
Instr RandomInstr(const OpcodeInfo& op, std::mt19937_64& rng) {
  Instr i;
  i.opcode = static_cast<std::uint64_t>(op.opcode);
  for (int f = 0; f < kNumFields; ++f) {
    const bool used = ((op.field_mask | kCommonFieldMask) >> f) & 1;
    if (!used || f == static_cast<int>(Field::kOpcode)) continue;
    const FieldInfo& fi = kFieldTable[f];
    std::int64_t v;
    if (fi.is_signed) {
      std::uniform_int_distribution<std::int64_t> d(-(std::int64_t{1} << (fi.width - 1)),
                                                    (std::int64_t{1} << (fi.width - 1)) - 1);
      v = d(rng);
    } else {
      const std::uint64_t hi = fi.width >= 64 ? ~0ull : (1ull << fi.width) - 1;
      v = static_cast<std::int64_t>(std::uniform_int_distribution<std::uint64_t>(0, hi)(rng));
    }
    const std::string_view n = fi.name;
    if (n.ends_with("_buf")) v = v % kNumBuffers;
    if (n.ends_with("_type")) v = v % kNumElemTypes;
    if (n == "target_unit") v = v % kNumUnits;
    if (n.starts_with("wait") && n.ends_with("_unit")) v = v % 2 ? kNoWaitUnit : v % kNumUnits;
    SetField(i, static_cast<Field>(f), v);
  }
  for (auto [u, c] : {std::pair{&i.wait0_unit, &i.wait0_count}, std::pair{&i.wait1_unit, &i.wait1_count},
                      std::pair{&i.wait2_unit, &i.wait2_count}}) {
    if (*u == kNoWaitUnit) *c = 0;
  }
  return i;
}

TEST(Codec, EveryOpcodeRoundTripsWithRandomInRangeFields) {
  std::mt19937_64 rng(11);
  for (const OpcodeInfo& op : kOpcodeTable) {
    for (int trial = 0; trial < 200; ++trial) {
      const Instr i = RandomInstr(op, rng);
      const Words w = Encode(i);
      EXPECT_EQ(Decode(w), i) << op.name << " trial " << trial;
    }
  }
}

TEST(Codec, UsedFieldListsMatchTheMasks) {
  for (const OpcodeInfo& op : kOpcodeTable) {
    std::uint64_t mask = 0;
    for (Field f : op.fields) mask |= std::uint64_t{1} << static_cast<int>(f);
    EXPECT_EQ(mask, op.field_mask) << op.name;
  }
  EXPECT_EQ(kGemmFields.size(), 14u);
  EXPECT_TRUE(kFinishFields.empty());
}

TEST(Codec, FieldsLandAtTheirDocumentedBits) {
  Instr i;
  i.opcode = static_cast<std::uint64_t>(Opcode::kGemm);
  i.rows = 0xBEEF;
  i.b_kn = 1;
  const Words w = Encode(i);
  EXPECT_EQ(w[0] & 0x3f, static_cast<std::uint64_t>(Opcode::kGemm));
  EXPECT_EQ(w[0] >> 63, 1u);
  EXPECT_EQ((w[5] >> 32) & 0xffff, 0xBEEFu);
}

TEST(Codec, SignedImmediateKeepsItsSign) {
  Instr i;
  i.opcode = static_cast<std::uint64_t>(Opcode::kShiftmax);
  for (std::int64_t v : {std::int64_t{-1}, -(std::int64_t{1} << 23), (std::int64_t{1} << 23) - 1}) {
    i.imm = v;
    EXPECT_EQ(Decode(Encode(i)).imm, v);
  }
}

TEST(Codec, RejectsFieldsThatDoNotFit) {
  Instr i;
  i.opcode = static_cast<std::uint64_t>(Opcode::kLoad);
  i.rows = 1 << 16;
  EXPECT_THROW(Encode(i), InputError);
  i.rows = 1;
  i.dram_stride = 1 << 24;
  EXPECT_THROW(Encode(i), InputError);
  Instr s;
  s.opcode = static_cast<std::uint64_t>(Opcode::kShiftmax);
  s.imm = std::int64_t{1} << 23;
  EXPECT_THROW(Encode(s), InputError);
  s.imm = -(std::int64_t{1} << 23) - 1;
  EXPECT_THROW(Encode(s), InputError);
}

TEST(Codec, RejectsAFieldTheOpcodeDoesNotUse) {
  Instr i;
  i.opcode = static_cast<std::uint64_t>(Opcode::kLoad);
  i.depth = 3;
  try {
    Encode(i);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("depth"), std::string::npos) << e.what();
  }
  // The same through Decode: hand-set bits of depth (word 6, bits 0..15) in a load.
  Words w = Encode(Instr{.opcode = 1});
  w[6] |= 5;
  EXPECT_THROW(Decode(w), InputError);
}

TEST(Codec, RejectsUnknownOpcodeUnitBufferAndType) {
  Words w{};
  w[0] = 63;  // no such opcode
  EXPECT_THROW(Decode(w), InputError);
  Instr load{.opcode = 1};
  Words l = Encode(load);
  l[1] = (l[1] & ~0xfull) | 9;  // wait0_unit 9 is no unit
  EXPECT_THROW(Decode(l), InputError);
  Instr bad_buf{.opcode = static_cast<std::uint64_t>(Opcode::kRequant)};
  bad_buf.dst_buf = 3;
  EXPECT_NO_THROW(Encode(bad_buf));
  bad_buf.dst_type = 6;  // no element type 6
  EXPECT_THROW(Encode(bad_buf), InputError);
  Instr sync{.opcode = static_cast<std::uint64_t>(Opcode::kSync)};
  sync.target_unit = 12;
  EXPECT_THROW(Encode(sync), InputError);
}

TEST(Codec, UnitOfFollowsTheTableAndSyncTargets) {
  EXPECT_EQ(UnitOf(Instr{.opcode = static_cast<std::uint64_t>(Opcode::kGemm)}), Unit::kArray);
  EXPECT_EQ(UnitOf(Instr{.opcode = static_cast<std::uint64_t>(Opcode::kStore)}), Unit::kStore);
  Instr s{.opcode = static_cast<std::uint64_t>(Opcode::kSync)};
  s.target_unit = static_cast<std::uint64_t>(Unit::kGelu);
  EXPECT_EQ(UnitOf(s), Unit::kGelu);
}

TEST(Codec, DisassemblesAGemmReadably) {
  Instr g{.opcode = static_cast<std::uint64_t>(Opcode::kGemm)};
  g.dst_addr = 0x400;
  g.accumulate = 1;
  g.rows = 64;
  g.depth = 192;
  g.cols = 64;
  g.src0_stride = 192;
  g.src1_stride = 192;
  g.dst_stride = 64;
  g.wait0_unit = 0;
  g.wait0_count = 12;
  EXPECT_EQ(Disassemble(g, "blocks.0.attn.qkv"),
            "gemm      acc[0x0400] += act[0x0000] i8 (64x192) * wgt[0x0000] [n][k] (192x64)"
            "  waits load>=12 ; blocks.0.attn.qkv");
}

TEST(Codec, ProgramFileRoundTripsAndRejectsDamage) {
  std::mt19937_64 rng(5);
  std::vector<Instr> prog;
  for (const OpcodeInfo& op : kOpcodeTable) prog.push_back(RandomInstr(op, rng));
  const auto path = (std::filesystem::temp_directory_path() / "intvit_codec_test.bin").string();
  WriteProgramFile(path, prog);
  EXPECT_EQ(ReadProgramFile(path), prog);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.write("XXXX", 4);
  }
  EXPECT_THROW(ReadProgramFile(path), InputError);
  WriteProgramFile(path, prog);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  EXPECT_THROW(ReadProgramFile(path), InputError);
  std::filesystem::remove(path);
}

TEST(Operands, GemmReadsActWgtAndWritesAcc) {
  Instr g{.opcode = static_cast<std::uint64_t>(Opcode::kGemm)};
  g.rows = 4, g.cols = 8, g.depth = 16, g.src0_stride = 16, g.src1_stride = 16, g.dst_stride = 8;
  g.src0_type = static_cast<std::uint64_t>(ElemType::kU16);
  g.bias = 1, g.aux_addr = 0x100;
  const auto ops = OperandsOf(g);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].space, Space::kAct);
  EXPECT_EQ(ops[0].End(), 4u * 32);
  EXPECT_EQ(ops[1].End(), 8u * 16);
  EXPECT_EQ(ops[2].role, std::string("bias"));
  EXPECT_TRUE(ops[3].write);
  EXPECT_EQ(ops[3].End(), 4u * 8 * 4);
}

}  // namespace
}  // namespace intvit::isa
