// AddUnit alone: the cycles of docs/timing.md on base16 (16 lanes, divider latency 16).
#include "sim/units/add_unit.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(AddUnit, TakesItsFormulaOnBase16) {
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Vector(isa::Opcode::kAdd, 197, 192)});
  EXPECT_EQ(r.total_cycles, 197 * 12 + 1);
  EXPECT_EQ(r.computed, (std::vector<std::size_t>{0}));
}

TEST(AddUnit, TakesNoTimeInScalesimMode) {
  TopOptions o;
  o.mode = TimingMode::kScalesim;
  EXPECT_EQ(
      RunProgram(compiler::ArchConfig{}, {Vector(isa::Opcode::kAdd, 197, 192)}, o).total_cycles, 0);
}

}  // namespace
}  // namespace intvit::sim
