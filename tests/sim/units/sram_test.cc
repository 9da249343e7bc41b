#include "sim/units/sram.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(Sram, CountsComputeTrafficPerBuffer) {
  // requant 197 x 64: reads int32 acc (197*64*4), writes int8 act (197*64), reads one (m, e)
  // pair from vec (16 bytes).
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Vector(isa::Opcode::kRequant, 197, 64)});
  EXPECT_EQ(Stat(r.stats, "sram.acc.read_bytes"), 197 * 64 * 4);
  EXPECT_EQ(Stat(r.stats, "sram.act.write_bytes"), 197 * 64);
  EXPECT_EQ(Stat(r.stats, "sram.vec.read_bytes"), 16);
  EXPECT_EQ(Stat(r.stats, "sram.acc.bytes_per_cycle"), 8 * 2 * 16);
}

TEST(Sram, PortsLimitTheAddUnit) {
  compiler::ArchConfig a;
  a.act.banks = 1;
  a.act.ports = 1;
  const ProgramRun r = RunProgram(a, {Vector(isa::Opcode::kAdd, 16, 256)});
  EXPECT_EQ(r.total_cycles, 1536);  // 24576 bytes at 16 bytes per cycle
  EXPECT_EQ(Stat(r.stats, "units.add.sram_bound_cycles"), 1536 - 257);
  EXPECT_EQ(Stat(r.stats, "sram.act.port_cycles"), 1536);
}

}  // namespace
}  // namespace intvit::sim
