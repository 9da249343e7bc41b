// GoogleTest helpers shared by the nonlinear units' tests: finding the committed vector cases
// of an op, mismatch reporting, the row stream with its protocol checks, and the timing check
// against a unit's latency formula.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "model/exec/op_plan.h"
#include "model/io/vector_case.h"
#include "testbench/nonlinear/row_stream.h"

namespace intvit::tb {

// Every case of `op` under vectors/ivit and vectors/examples of the source tree, plus the roots
// listed (':'-separated) in IVIT_EXTRA_VECTOR_DIRS.
inline std::vector<std::filesystem::path> FindCases(const std::string& op) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots = {fs::path(INTVIT_SOURCE_DIR) / "vectors/ivit",
                                 fs::path(INTVIT_SOURCE_DIR) / "vectors/examples"};
  if (const char* extra = std::getenv("IVIT_EXTRA_VECTOR_DIRS")) {
    std::stringstream ss(extra);
    std::string r;
    while (std::getline(ss, r, ':')) {
      if (!r.empty()) roots.emplace_back(r);
    }
  }
  std::vector<fs::path> found;
  for (const auto& root : roots) {
    if (!fs::is_directory(root)) continue;
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(root)) {
      if (fs::exists(e.path() / "manifest.json")) dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) {
      std::ifstream in(d / "manifest.json");
      const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      if (j.is_object() && j.value("op", "") == op) found.push_back(d);
    }
  }
  return found;
}

// A committed case read and planned by the golden model's reader (model/io, model/exec).
struct PlannedCase {
  std::string name;  // "<root>/<case>"
  model::VectorCase c;
  model::OpPlan plan;
};
inline PlannedCase ReadPlannedCase(const std::filesystem::path& dir) {
  model::VectorCase c = model::ReadVectorCase(dir);
  model::OpPlan plan = model::PlanCase(c);
  return {dir.parent_path().filename().string() + "/" + dir.filename().string(), std::move(c),
          std::move(plan)};
}

// Fails with the first mismatch and the number of differing values; returns the count.
template <class A, class B>
std::size_t ExpectSameValues(const std::string& what, const std::vector<A>& got,
                             const std::vector<B>& want, std::int64_t cols) {
  if (got.size() != want.size()) {
    ADD_FAILURE() << what << ": " << got.size() << " values, expected " << want.size();
    return want.size();
  }
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (static_cast<std::int64_t>(got[i]) != static_cast<std::int64_t>(want[i])) {
      if (bad++ == 0) first = i;
    }
  }
  if (bad != 0) {
    ADD_FAILURE() << what << ": " << bad << " of " << got.size() << " values differ; first at row "
                  << first / cols << " col " << first % cols << ": got "
                  << static_cast<std::int64_t>(got[first]) << ", expected "
                  << static_cast<std::int64_t>(want[first]);
  }
  return bad;
}

// StreamRows with its protocol checks as test failures.
template <class Ports, class Model>
Rows RunRows(Dut<Model>& dut, int lanes, const Rows& rows, const Stalls& stalls,
             RowTiming* timing = nullptr, const Rows* side = nullptr) {
  RowStream s = StreamRows<Ports>(dut, lanes, rows, stalls, side);
  EXPECT_EQ(s.error, "");
  if (timing) *timing = std::move(s.timing);
  return std::move(s.out);
}

// Expects every row's latency (first input beat to last output beat) to equal latency(cols)
// and the spacing of consecutive rows' first input beats to be one more (every unit's period).
template <class LatencyFn>
void ExpectTiming(const RowTiming& t, const Rows& rows, LatencyFn latency) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto cols = static_cast<std::int64_t>(rows[r].size());
    EXPECT_EQ(static_cast<std::int64_t>(t.last_out[r] - t.first_in[r]), latency(cols))
        << "latency of row " << r << " (cols " << cols << ")";
    if (r + 1 < rows.size()) {
      EXPECT_EQ(static_cast<std::int64_t>(t.first_in[r + 1] - t.first_in[r]), latency(cols) + 1)
          << "period after row " << r << " (cols " << cols << ")";
    }
  }
}

// True if check(p) does not throw (the golden model's Check*Params).
template <class Params, class CheckFn>
bool Legal(const Params& p, CheckFn check) {
  try {
    check(p);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace intvit::tb
