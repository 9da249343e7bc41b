// testbench/rtl_units.h: units at parameters CMake did not Verilate are Verilated on first use
// into a cache, match the golden ops bit for bit with the documented cycles, stay persistent
// over several Runs, are reused from the cache, and write a windowed VCD with instr_index. Also
// the errors a user can cause. One small array (8x4) and one small GELU (4 lanes, 8 quotient
// bits per cycle, MaxCols 256) keep the build time of this test low (docs/rtl.md).
#include "testbench/rtl_units.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "model/common/error.h"
#include "model/ops/linear.h"
#include "model/ops/shift_gelu.h"

namespace intvit::tb {
namespace {

namespace fs = std::filesystem;

// A fresh cache folder in INTVIT_RTL_CACHE for the test's lifetime.
class TempCache {
 public:
  TempCache() {
    std::string tmpl = (fs::temp_directory_path() / "intvit_rtl_cache_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    setenv("INTVIT_RTL_CACHE", dir_.c_str(), 1);
  }
  ~TempCache() {
    unsetenv("INTVIT_RTL_CACHE");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }
  // unit.so of every unit in the cache and its modification time.
  std::map<std::string, fs::file_time_type> SharedObjects() const {
    std::map<std::string, fs::file_time_type> m;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      if (e.path().filename() == "unit.so") m[e.path().string()] = fs::last_write_time(e.path());
    }
    return m;
  }

 private:
  fs::path dir_;
};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// y = x w^T + b with model::Linear; a holds int8 values, b is [K][N].
std::vector<std::int32_t> GoldenLinear(std::int64_t m, std::int64_t k, std::int64_t n,
                                       const std::vector<std::int32_t>& a,
                                       const std::vector<std::int8_t>& b,
                                       const std::vector<std::int32_t>& bias) {
  std::vector<std::int8_t> x(a.begin(), a.end());
  std::vector<std::int8_t> w(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < k; ++i) {
    for (std::int64_t j = 0; j < n; ++j) w[j * k + i] = b[i * n + j];
  }
  std::vector<std::int32_t> y(static_cast<std::size_t>(m * n));
  model::Linear({m, k, n}, x, w, bias, y);
  return y;
}

// The VCD's timestamps and the values instr_index takes.
struct VcdSummary {
  bool declared = false;
  std::int64_t first = -1, last = -1;
  std::vector<std::string> instr_values;
};
VcdSummary ReadVcd(const fs::path& p) {
  VcdSummary s;
  std::ifstream in(p);
  std::string code;
  for (std::string line; std::getline(in, line);) {
    if (line.find(" instr_index ") != std::string::npos) {
      std::istringstream w(line);
      std::string var, type, width;
      w >> var >> type >> width >> code;
      s.declared = true;
    } else if (!line.empty() && line[0] == '#') {
      const std::int64_t t = std::stoll(line.substr(1));
      if (s.first < 0) s.first = t;
      s.last = t;
    } else if (!code.empty() && line.size() > code.size() &&
               line.compare(line.size() - code.size() - 1, std::string::npos, " " + code) == 0) {
      s.instr_values.push_back(line.substr(0, line.size() - code.size() - 1));
    }
  }
  return s;
}

TEST(RtlUnits, NonPrebuiltUnitsAreVerilatedCachedPersistentAndExact) {
  TempCache cache;
  const ArrayGeometry geo{8, 4, 1, 1};
  const RowUnitShape shape{.lanes = 4, .spc = 8, .max_cols = 256};
  ASSERT_FALSE(IsPrebuilt(geo));
  ASSERT_FALSE(IsPrebuilt(RowKind::kGelu, shape));
  const fs::path vcd = cache.dir() / "array.vcd";

  // The array: three GEMMs in separate Runs on one model, placed on the time line at cycles
  // 0, 1000 and 2000; the VCD window [1000, 1100] holds part of the second Run only.
  std::mt19937_64 rng(84);
  const std::int64_t m = 11, k = 19, n = 9;
  std::vector<std::int32_t> a(static_cast<std::size_t>(m * k));
  std::vector<std::int8_t> b(static_cast<std::size_t>(k * n));
  std::vector<std::int32_t> bias(static_cast<std::size_t>(n));
  for (auto& v : a) v = static_cast<std::int32_t>(rng() % 256) - 128;
  for (auto& v : b) v = static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
  for (auto& v : bias) v = static_cast<std::int32_t>(rng() % 20001) - 10000;
  const GemmProblem p{m, k, n, a, b, bias};
  const std::vector<std::int32_t> want = GoldenLinear(m, k, n, a, b, bias);
  {
    auto unit = MakeArrayUnit(geo, {.wave_path = vcd.string(), .wave_from = 1000, .wave_to = 1100});
    ASSERT_EQ(unit->Geometry(), geo);
    for (int i = 0; i < 3; ++i) {
      unit->SetTimeBase(1000 * i, 40 + i);
      const GemmRun run = unit->Run(std::span(&p, 1));
      EXPECT_EQ(run.y[0], want) << "run " << i;
      EXPECT_EQ(run.cycles, ArrayCyclesFormula(geo, std::span(&p, 1))) << "run " << i;
    }
  }
  const VcdSummary s = ReadVcd(vcd);
  EXPECT_TRUE(s.declared);
  EXPECT_EQ(s.first, 10000);  // cycle 1000, before its edge
  EXPECT_EQ(s.last, 1100 * 10 + 5);
  EXPECT_EQ(s.instr_values, std::vector<std::string>{"b101001"});  // 41, the second Run's
  EXPECT_FALSE(fs::exists(vcd.string() + ".raw"));

  // GELU: rows back to back take rows * (latency + 1) cycles, on every Run.
  const model::ShiftGeluParams gp{.x0 = -12, .n = 23, .out_bits = 8, .div = model::kDivDefault};
  const RowConfig cfg{.x0 = gp.x0, .n = gp.n, .out_bits = gp.out_bits, .div = gp.div};
  auto gelu = MakeRowUnit(RowKind::kGelu, shape);
  for (const std::int64_t cols : {37, 256, 5}) {
    const std::int64_t rows = 3;
    std::vector<std::int64_t> x(static_cast<std::size_t>(rows * cols));
    for (auto& v : x) v = static_cast<std::int64_t>(rng() % 256) - 128;
    std::vector<std::int8_t> x8(x.begin(), x.end());
    std::vector<std::int32_t> y(x.size());
    model::ShiftGelu(gp, cols, x8, y);
    const VectorRun run = gelu->Run(cfg, cols, x);
    EXPECT_EQ(run.y, std::vector<std::int64_t>(y.begin(), y.end())) << "cols " << cols;
    EXPECT_EQ(run.cycles, rows * (GeluLatency(shape, cols) + 1)) << "cols " << cols;
  }

  // A second Make of both reuses the cache: no build, the objects untouched.
  const auto objects = cache.SharedObjects();
  ASSERT_EQ(objects.size(), 2u);
  const auto t0 = std::chrono::steady_clock::now();
  testing::internal::CaptureStderr();
  auto again = MakeArrayUnit(geo);
  auto gelu_again = MakeRowUnit(RowKind::kGelu, shape);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_LT(SecondsSince(t0), 5.0);
  EXPECT_EQ(cache.SharedObjects(), objects);
  EXPECT_EQ(again->Run(std::span(&p, 1)).y[0], want);
  for (const auto& e : fs::directory_iterator(cache.dir())) {
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << "left behind: " << e.path();
  }
}

TEST(RtlUnits, IllegalParametersAreInputErrors) {
  EXPECT_THROW(MakeArrayUnit({6, 4, 4, 1}), InputError);  // rows not a multiple of tile_rows
  EXPECT_THROW(MakeArrayUnit({0, 4, 1, 1}), InputError);
  EXPECT_THROW(MakeRequantUnit(0), InputError);
  EXPECT_THROW(MakeAddUnit(-3), InputError);
  EXPECT_THROW(MakeRowUnit(RowKind::kShiftmax, {.lanes = 4, .spc = 33, .max_cols = 64}), InputError);
  EXPECT_THROW(MakeRowUnit(RowKind::kLayerNorm, {.lanes = 4, .spc = 4, .max_cols = 0}), InputError);
  try {
    MakeArrayUnit({8, 6, 1, 4});
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tile_cols"), std::string::npos) << e.what();
  }
}

TEST(RtlUnits, MissingVerilatorIsAnInputError) {
  TempCache cache;
  setenv("INTVIT_VERILATOR", "/nonexistent/verilator", 1);
  try {
    MakeArrayUnit({4, 8, 1, 1});
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Verilator is not installed"), std::string::npos)
        << e.what();
  }
  unsetenv("INTVIT_VERILATOR");
  // The prebuilt units need no Verilator at all.
  const std::string path = std::getenv("PATH") == nullptr ? "" : std::getenv("PATH");
  setenv("PATH", "/nonexistent", 1);
  EXPECT_NE(MakeArrayUnit({4, 4, 1, 1}), nullptr);
  EXPECT_THROW(MakeRowUnit(RowKind::kGelu, {.lanes = 2, .spc = 2, .max_cols = 16}), InputError);
  setenv("PATH", path.c_str(), 1);
  EXPECT_TRUE(fs::is_empty(cache.dir()));
}

TEST(RtlUnits, UnwritableCacheIsAnInputError) {
  setenv("INTVIT_RTL_CACHE", "/proc/intvit_rtl_cache", 1);
  try {
    MakeAddUnit(3);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/intvit_rtl_cache"), std::string::npos) << e.what();
  }
  unsetenv("INTVIT_RTL_CACHE");
}

}  // namespace
}  // namespace intvit::tb
