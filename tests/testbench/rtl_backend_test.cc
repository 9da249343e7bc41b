// testbench/rtl_backend.h: every committed vector case whose op has an RTL unit (requant,
// linear, matmul, conv_patch under vectors/examples and vectors/ivit) runs through the
// Verilated units with zero mismatches against its expected outputs; other ops are refused
// with a message naming the op.
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

namespace intvit::tb {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kRtlOps = {"requant", "linear", "matmul", "conv_patch"};

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
  std::string summary;
  for (const auto& [op, n] : per_op) summary += " " + op + "=" + std::to_string(n);
  std::cout << "[rtl] cases:" << summary << ", " << elements << " elements compared; " << refused
            << " refused like golden\n";
}

TEST(RtlBackend, OpsWithoutAnRtlUnitAreRefusedByName) {
  RtlBackend rtl;
  const model::VectorCase c =
      model::ReadVectorCase(fs::path(INTVIT_SOURCE_DIR) / "vectors/examples/shiftmax_hand");
  try {
    rtl.Run(c);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("shiftmax has no RTL unit"), std::string::npos)
        << e.what();
  }
}

TEST(RtlBackend, WaveFileIsWritten) {
  const fs::path wave = fs::temp_directory_path() / "intvit_rtl_backend_test.vcd";
  fs::remove(wave);
  RtlBackend rtl({.wave_path = wave.string(), .array = {}});
  rtl.Run(model::ReadVectorCase(fs::path(INTVIT_SOURCE_DIR) / "vectors/examples/linear_tile"));
  ASSERT_TRUE(fs::exists(wave));
  EXPECT_GT(fs::file_size(wave), 1000u);
  fs::remove(wave);
}

}  // namespace
}  // namespace intvit::tb
