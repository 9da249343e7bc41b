// The five vector units alone: the cycles of docs/timing.md on base16, each formula worked out
// by hand; and no time in scalesim mode.
#include "sim/units/vector_unit.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;  // intvit::sim::testing: RunProgram, Vector

struct UnitCase {
  const char* name;
  isa::Instr instr;
  std::int64_t cycles;  // detailed mode, base16
};

void PrintTo(const UnitCase& c, std::ostream* os) { *os << c.name; }

class VectorUnitTest : public ::testing::TestWithParam<UnitCase> {};

TEST_P(VectorUnitTest, TakesItsFormulaOnBase16) {
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {GetParam().instr});
  EXPECT_EQ(r.total_cycles, GetParam().cycles);
  EXPECT_EQ(r.computed, (std::vector<std::size_t>{0}));
}

TEST_P(VectorUnitTest, TakesNoTimeInScalesimMode) {
  TopOptions o;
  o.mode = TimingMode::kScalesim;
  EXPECT_EQ(RunProgram(compiler::ArchConfig{}, {GetParam().instr}, o).total_cycles, 0);
}

// base16: requant and add 16 lanes; the row units 8 lanes, 4 quotient bits per cycle (D = 8),
// max_cols 4096 (Lg = 12). Rows of the row units run one after another, latency + 1 apart.
INSTANTIATE_TEST_SUITE_P(
    Base16, VectorUnitTest,
    ::testing::Values(
        // 197 * 4 beats + the 3-stage pipeline.
        UnitCase{"requant", Vector(isa::Opcode::kRequant, 197, 64), 788 + 3},
        // 37824 elements in 2364 beats + 1 register stage.
        UnitCase{"add", Vector(isa::Opcode::kAdd, 197, 192), 2364 + 1},
        // 96 beats of D + 2 = 10 cycles + 2 = 962 per row.
        UnitCase{"gelu", Vector(isa::Opcode::kGelu, 197, 768), 197 * 963},
        // 3 * 25 beats + D + 6 = 89 per row.
        UnitCase{"shiftmax", Vector(isa::Opcode::kShiftmax, 197, 197), 197 * 90},
        // 3 * 24 + 7 (mean) + 10 * 12 (Newton) + 8 (div / k) + 8 = 215 per row.
        UnitCase{"layernorm", Vector(isa::Opcode::kLayernorm, 197, 192, 10), 197 * 216}),
    [](const ::testing::TestParamInfo<UnitCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace intvit::sim
