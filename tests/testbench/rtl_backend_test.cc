// testbench/rtl_backend.h: every committed vector case under vectors/examples and vectors/ivit
// (every op has an RTL unit: requant, linear, matmul, conv_patch, shiftmax, shiftgelu,
// layernorm) runs through the Verilated units with zero mismatches against its expected
// outputs; a case beyond a unit's build parameters is refused with a message naming the limit.
#include "testbench/rtl_backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "model/common/error.h"
#include "model/exec/compare.h"
#include "model/exec/op_plan.h"
#include "model/io/vector_case.h"
#include "testbench/nonlinear/nonlinear_rtl.h"

namespace intvit::tb {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kRtlOps = {"requant",  "linear",    "matmul",   "conv_patch",
                                       "shiftmax", "shiftgelu", "layernorm"};

std::vector<fs::path> CaseDirs() {
  std::vector<fs::path> dirs;
  for (const char* set : {"vectors/examples", "vectors/ivit"}) {
    const fs::path root = fs::path(INTVIT_SOURCE_DIR) / set;
    for (const auto& e : fs::directory_iterator(root)) {
      if (fs::exists(e.path() / "manifest.json")) dirs.push_back(e.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

TEST(RtlBackend, EveryCommittedCaseWithAnRtlUnitMatchesBitForBit) {
  RtlBackend rtl;
  std::map<std::string, int> per_op;
  std::int64_t elements = 0;
  int refused = 0;
  for (const fs::path& dir : CaseDirs()) {
    const model::VectorCase c = model::ReadVectorCase(dir);
    if (!kRtlOps.contains(c.op)) continue;
    // A case the golden model refuses (vectors/ivit holds a few written for other contracts)
    // must be refused with the same message.
    std::string golden_error;
    try {
      model::PlanCase(c);
    } catch (const InputError& e) {
      golden_error = e.what();
    }
    if (!golden_error.empty()) {
      try {
        rtl.Run(c);
        ADD_FAILURE() << dir << ": the golden model refuses it, the RTL backend ran it";
      } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), golden_error);
      }
      ++refused;
      continue;
    }
    const model::TensorMap actual = rtl.Run(c);
    const model::CompareReport report = model::CompareOutputs(c.outputs, actual);
    for (const model::OutputDiff& d : report.outputs) {
      EXPECT_TRUE(d.Matches()) << dir.filename().string() << ": " << model::FormatOutputDiff(d);
    }
    ASSERT_TRUE(rtl.Cycles().has_value());
    EXPECT_GT(*rtl.Cycles(), 0);
    ++per_op[c.op];
    elements += report.TotalElements();
  }
  // The committed sets hold cases of every RTL op (20 requant among them).
  EXPECT_GE(per_op["requant"], 20);
  EXPECT_GE(per_op["linear"], 4);
  EXPECT_GE(per_op["matmul"], 5);
  EXPECT_GE(per_op["conv_patch"], 3);
  EXPECT_GE(per_op["shiftmax"], 13);
  EXPECT_GE(per_op["shiftgelu"], 7);
  EXPECT_GE(per_op["layernorm"], 6);
  std::string summary;
  for (const auto& [op, n] : per_op) summary += " " + op + "=" + std::to_string(n);
  std::cout << "[rtl] cases:" << summary << ", " << elements << " elements compared; " << refused
            << " refused like golden\n";
}

// Rows longer than the nonlinear units' row buffer (MaxCols) are refused, naming the limit.
TEST(RtlBackend, RowsBeyondMaxColsAreRefusedWithTheLimit) {
  RtlBackend rtl;
  model::VectorCase c =
      model::ReadVectorCase(fs::path(INTVIT_SOURCE_DIR) / "vectors/examples/shiftmax_hand");
  const std::int64_t cols = kNonlinearRtlShape.max_cols + 1;
  c.inputs.at("x").shape = {1, cols};
  c.inputs.at("x").values.assign(static_cast<std::size_t>(cols), 3);
  c.outputs.clear();
  try {
    rtl.Run(c);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exceed the shiftmax unit's MaxCols = 4096"),
              std::string::npos)
        << e.what();
  }
}

TEST(RtlBackend, WaveFileIsWritten) {
  for (const char* c : {"linear_tile", "layernorm_deit_tiny"}) {
    const fs::path wave = fs::temp_directory_path() / "intvit_rtl_backend_test.vcd";
    fs::remove(wave);
    RtlBackend rtl({.wave_path = wave.string(), .array = {}});
    rtl.Run(model::ReadVectorCase(fs::path(INTVIT_SOURCE_DIR) / "vectors/examples" / c));
    ASSERT_TRUE(fs::exists(wave)) << c;
    EXPECT_GT(fs::file_size(wave), 1000u) << c;
    fs::remove(wave);
  }
}

}  // namespace
}  // namespace intvit::tb
