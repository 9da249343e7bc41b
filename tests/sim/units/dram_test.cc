#include "sim/units/dram.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(Dram, LatencyAndBandwidthAreKnobs) {
  compiler::ArchConfig a;
  a.dram_bytes_per_cycle = 8;
  a.dram_latency_cycles = 20;
  // One 256-byte burst: 32 transfer cycles + 20 latency + 1 SRAM cycle.
  EXPECT_EQ(RunProgram(a, {Load(isa::Buffer::kAct, 1, 256)}).total_cycles, 53);
}

TEST(Dram, HalvingBandwidthNeverSpeedsUpALoad) {
  compiler::ArchConfig fast, slow;
  slow.dram_bytes_per_cycle = fast.dram_bytes_per_cycle / 2;
  const isa::Instr in = Load(isa::Buffer::kAct, 100, 300, 512, 300);
  EXPECT_GT(IsolatedDmaCycles(slow, in), IsolatedDmaCycles(fast, in));
  EXPECT_EQ(RunProgram(slow, {in}).total_cycles, IsolatedDmaCycles(slow, in));
}

TEST(Dram, ScalesimModeTakesNoTime) {
  TopOptions o;
  o.mode = TimingMode::kScalesim;
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Load(isa::Buffer::kAct, 16, 256)}, o);
  EXPECT_EQ(r.total_cycles, 0);
  EXPECT_EQ(Stat(r.stats, "dram.read_bytes"), 4096);
}

}  // namespace
}  // namespace intvit::sim
