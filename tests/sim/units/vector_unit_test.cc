// The five vector units alone: the cycles of docs/timing.md on base16 (16 lanes, divider
// latency 16), each formula worked out by hand; and no time in scalesim mode.
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

// beats = rows * ceil(cols / 16).
INSTANTIATE_TEST_SUITE_P(
    Base16, VectorUnitTest,
    ::testing::Values(
        // 1 pass (197 * 4 beats) + latency 4.
        UnitCase{"requant", Vector(isa::Opcode::kRequant, 197, 64), 788 + 4},
        // 1 pass (197 * 12) + latency 1.
        UnitCase{"add", Vector(isa::Opcode::kAdd, 197, 192), 197 * 12 + 1},
        // 2 passes (197 * 48) + latency 6 + one divide per element: 9456 beats * 16.
        UnitCase{"gelu", Vector(isa::Opcode::kGelu, 197, 768), 2 * 9456 + 6 + 9456 * 16},
        // 3 passes (197 * 13) + latency 6 + ceil(197 / 16) = 13 row divides * 16.
        UnitCase{"shiftmax", Vector(isa::Opcode::kShiftmax, 197, 197), 3 * 2561 + 6 + 13 * 16},
        // 3 passes (197 * 12) + latency 6 + 13 row chains of (10 Newton + 1) divides * 16.
        UnitCase{"layernorm", Vector(isa::Opcode::kLayernorm, 197, 192, 10),
                 3 * 2364 + 6 + 13 * 11 * 16}),
    [](const ::testing::TestParamInfo<UnitCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace intvit::sim
