#include "compiler/arch_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/common/error.h"

namespace intvit::compiler {
namespace {

std::string ConfigPath(const std::string& name) {
  return std::string(INTVIT_SOURCE_DIR) + "/configs/arch/" + name + ".json";
}

// Returns the message of the InputError `f` throws (fails the test if it does not throw).
template <class F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

TEST(ArchConfig, DefaultsAreBase16) {
  const ArchConfig file = LoadArchConfig(ConfigPath("base16"));
  EXPECT_EQ(ArchConfigToJson(file), ArchConfigToJson(ArchConfig{}));
  EXPECT_EQ(file.array_rows, 16);
  EXPECT_EQ(file.act.bytes(), 256 * 1024);
  EXPECT_EQ(file.clock_mhz, 500);
}

TEST(ArchConfig, EveryShippedConfigLoadsAndRoundTrips) {
  for (const char* name : {"base16", "tiny4", "wide8x32", "big32", "small_sram"}) {
    const ArchConfig c = LoadArchConfig(ConfigPath(name));
    EXPECT_EQ(c.name, name);
    EXPECT_EQ(ArchConfigToJson(ParseArchConfig(ArchConfigToJson(c), "dump")), ArchConfigToJson(c));
  }
  const ArchConfig w = LoadArchConfig(ConfigPath("wide8x32"));
  EXPECT_EQ(w.array_rows, 8);
  EXPECT_EQ(w.array_cols, 32);
}

TEST(ArchConfig, NamesResolveFromTheSourceTree) {
  EXPECT_EQ(LoadArchConfig("tiny4").array_cols, 4);
  const auto names = ArchConfigNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "big32"), names.end());
  const std::string msg = ErrorOf([] { LoadArchConfig("no_such_config"); });
  EXPECT_NE(msg.find("base16"), std::string::npos) << msg;
}

TEST(ArchConfig, UnknownKeyIsAnErrorNamingFileAndKey) {
  const std::string msg =
      ErrorOf([] { ParseArchConfig({{"sram", {{"act", {{"kb", 4}}}}}}, "my.json"); });
  EXPECT_NE(msg.find("my.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sram.act.kb"), std::string::npos) << msg;
}

TEST(ArchConfig, OutOfRangeAndWrongTypesAreErrors) {
  EXPECT_NE(ErrorOf([] { ParseArchConfig({{"array", {{"rows", 0}}}}, "f"); }).find("array.rows"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseArchConfig({{"array", {{"dataflow", "xs"}}}}, "f"); })
                .find("array.dataflow"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseArchConfig({{"clock_mhz", "fast"}}, "f"); }).find("clock_mhz"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseArchConfig({{"impl", {{"gelu", "fpga"}}}}, "f"); }).find("impl.gelu"),
            std::string::npos);
  EXPECT_THROW(ParseArchConfig({{"name", ""}}, "f"), InputError);
}

TEST(ArchConfig, MeshTilesMustDivideTheArray) {
  EXPECT_NO_THROW(LoadArchConfig("base16", {"array.tile_rows=4", "array.tile_cols=2"}));
  const std::string msg = ErrorOf([] { LoadArchConfig("base16", {"array.tile_rows=3"}); });
  EXPECT_NE(msg.find("array.tile_rows = 3 must divide array.rows = 16"), std::string::npos)
      << msg;
}

TEST(ArchConfig, LatenciesAreTheRtlsNotKnobs) {
  // The pipeline depths come from the RTL (sim/timing/unit_cycles.h); the old knobs are gone.
  EXPECT_THROW(LoadArchConfig("base16", {"requant.latency_cycles=4"}), InputError);
  EXPECT_THROW(LoadArchConfig("base16", {"divider.latency_cycles=16"}), InputError);
  const ArchConfig c = LoadArchConfig("base16", {"divider.bits_per_cycle=8", "gelu.max_cols=800"});
  EXPECT_EQ(c.divider_bits_per_cycle, 8);
  EXPECT_EQ(c.gelu.max_cols, 800);
  EXPECT_THROW(LoadArchConfig("base16", {"divider.bits_per_cycle=0"}), InputError);
}

TEST(ArchConfig, OverridesApplyInOrderAndAreChecked) {
  const ArchConfig c =
      LoadArchConfig("base16", {"array.rows=8", "sram.vec.kib=64", "array.rows=4", "impl.gelu=rtl"});
  EXPECT_EQ(c.array_rows, 4);
  EXPECT_EQ(c.vec.kib, 64);
  EXPECT_EQ(c.impl.gelu, "rtl");
  EXPECT_NE(ErrorOf([] { LoadArchConfig("base16", {"array.colz=3"}); }).find("array.colz"),
            std::string::npos);
  EXPECT_THROW(LoadArchConfig("base16", {"sram.act.kib=-1"}), InputError);
}

TEST(ArchConfig, InputStationaryIsAcceptedButFlaggedAsScalesimOnly) {
  const ArchConfig c = ParseArchConfig({{"array", {{"dataflow", "is"}}}}, "f");
  EXPECT_TRUE(c.DataflowIsScalesimOnly());
  EXPECT_FALSE(ArchConfig{}.DataflowIsScalesimOnly());
}

TEST(ArchConfig, DescriptionsCoverEveryField) {
  const std::string text = DescribeConfig(ArchConfig{}, ArchConfigFields());
  for (const auto& f : ArchConfigFields()) {
    EXPECT_FALSE(f.description.empty()) << f.key;
    EXPECT_NE(text.find(f.key), std::string::npos) << f.key;
  }
}

TEST(ArchConfig, BadJsonFileIsAnError) {
  const auto path = (std::filesystem::temp_directory_path() / "intvit_bad_arch.json").string();
  std::ofstream(path) << "{ \"array\": ";
  EXPECT_NE(ErrorOf([&] { LoadArchConfig(path); }).find("not valid JSON"), std::string::npos);
  std::filesystem::remove(path);
}

// A config file in the test's temp folder.
std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("intvit_arch_test_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

TEST(LoadArchConfig, RefusesDeepNestingWithoutCrashing) {
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(50000, '}');
  const std::string p = WriteTemp("deep.json", deep);
  EXPECT_EQ(ErrorOf([&] { LoadArchConfig(p); }),
            p + ": not valid JSON: nested deeper than 16 levels");
}

TEST(LoadArchConfig, RefusesDuplicateKeysNulAndTrailingBytes) {
  const std::string dup = WriteTemp("dup.json", R"({"array": {"rows": 8, "rows": 4}})");
  EXPECT_EQ(ErrorOf([&] { LoadArchConfig(dup); }), dup + ": rows: duplicate key in one JSON object");
  const std::string nul = WriteTemp("nul.json", std::string("{\"name\": \"x\"}\0garbage", 21));
  EXPECT_EQ(ErrorOf([&] { LoadArchConfig(nul); }), nul + ": not valid JSON: NUL byte at offset 13");
  const std::string trail = WriteTemp("trail.json", R"({"name": "x"} x)");
  EXPECT_NE(ErrorOf([&] { LoadArchConfig(trail); }).find(trail + ": not valid JSON: parse error"),
            std::string::npos);
}

TEST(LoadArchConfig, RefusesWhatIsNotARegularFile) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/";
  EXPECT_EQ(ErrorOf([&] { LoadArchConfig(dir); }),
            dir + ": is a directory; the arch config must be a regular file");
  if (std::filesystem::exists("/dev/zero")) {
    EXPECT_EQ(ErrorOf([&] { LoadArchConfig("/dev/zero"); }),
              "/dev/zero: is a character device; the arch config must be a regular file");
  }
}

TEST(ApplyConfigOverride, RefusesADeepKeyPath) {
  ArchConfig c;
  std::string key = "a";
  for (int i = 0; i < 20000; ++i) key += ".a";
  EXPECT_NE(ErrorOf([&] { ApplyConfigOverride(c, ArchConfigFields(), key + "=1"); })
                .find("nests deeper than 16 levels"),
            std::string::npos);
}

// Fuzz finding (tests/fuzz/regressions/arch_config/override_invalid_utf8): a -p value that is
// not JSON became a JSON string holding byte 0xff, and printing it (the range message, info
// --arch, effective_config.json) threw nlohmann's type_error: exit 3.
TEST(ApplyConfigOverride, RefusesTextThatIsNotUtf8) {
  ArchConfig c;
  EXPECT_EQ(ErrorOf([&] { ApplyConfigOverride(c, ArchConfigFields(), "array.rows=8\xff"); }),
            "-p: the override is not valid UTF-8 text (byte 12)");
  EXPECT_EQ(ErrorOf([&] { ApplyConfigOverride(c, ArchConfigFields(), "name=\xc3"); }),
            "-p: the override is not valid UTF-8 text (byte 5)");
  ApplyConfigOverride(c, ArchConfigFields(), "name=caf\xc3\xa9");  // "café" is UTF-8
  EXPECT_EQ(c.name, "caf\xc3\xa9");
}

TEST(FirstInvalidUtf8, FollowsRfc3629) {
  using config_detail::FirstInvalidUtf8;
  EXPECT_EQ(FirstInvalidUtf8("plain"), 5u);
  EXPECT_EQ(FirstInvalidUtf8("\xe2\x82\xac \xf0\x9f\x98\x80"), 8u);  // U+20AC, U+1F600
  EXPECT_EQ(FirstInvalidUtf8("a\xc0\xaf"), 1u);        // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("ab\xed\xa0\x80"), 2u);  // a surrogate, U+D800
  EXPECT_EQ(FirstInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // U+110000, above the last code point
  EXPECT_EQ(FirstInvalidUtf8("x\xe2\x82"), 1u);         // cut short
  EXPECT_EQ(FirstInvalidUtf8("\x80"), 0u);              // a lone continuation byte
}

}  // namespace
}  // namespace intvit::compiler
