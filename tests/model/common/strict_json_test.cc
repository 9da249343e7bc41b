#include "model/common/strict_json.h"

#include <gtest/gtest.h>

#include "model/common/error.h"

namespace intvit {
namespace {

std::string ErrorOf(std::string_view text, int depth = 8) {
  try {
    ParseStrictJson<nlohmann::json>(text, "f.json", depth);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ParseStrictJson, ParsesValidJsonOfEitherFlavour) {
  EXPECT_EQ(ParseStrictJson<nlohmann::json>(R"({"a": [1, {"b": 2}]} )", "f", 8)["a"][1]["b"], 2);
  const auto o = ParseStrictJson<nlohmann::ordered_json>(R"({"z": 1, "a": 2})", "f", 8);
  EXPECT_EQ(o.begin().key(), "z");
}

TEST(ParseStrictJson, RefusesANulByteAndWhatFollows) {
  // nlohmann alone takes a NUL for the end of its input and accepts "{}\0garbage".
  EXPECT_EQ(ErrorOf(std::string_view("{}\0garbage", 10)),
            "f.json: not valid JSON: NUL byte at offset 2");
  EXPECT_EQ(ErrorOf(std::string_view("{\"a\":\0}", 7)),
            "f.json: not valid JSON: NUL byte at offset 5");
}

TEST(ParseStrictJson, RefusesTrailingBytes) {
  EXPECT_NE(ErrorOf("{} x").find("f.json: not valid JSON: parse error"), std::string::npos);
  EXPECT_NE(ErrorOf("{}{}").find("f.json: not valid JSON: parse error"), std::string::npos);
  EXPECT_EQ(ErrorOf("{}\n \t"), "no error");
}

TEST(ParseStrictJson, RefusesDuplicateKeysInAnyObject) {
  EXPECT_EQ(ErrorOf(R"({"a": 1, "a": 2})"), "f.json: a: duplicate key in one JSON object");
  EXPECT_EQ(ErrorOf(R"({"a": {"b": 1, "b": 1}})"), "f.json: b: duplicate key in one JSON object");
  EXPECT_EQ(ErrorOf(R"({"a": {"b": 1}, "b": {"b": 1}})"), "no error");  // one per object
}

TEST(ParseStrictJson, CapsTheDepthWithoutRecursing) {
  EXPECT_EQ(ErrorOf(std::string(8, '[') + std::string(8, ']')), "no error");
  EXPECT_EQ(ErrorOf(std::string(10, '[') + std::string(10, ']')),
            "f.json: not valid JSON: nested deeper than 8 levels");
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(50000, '}');
  EXPECT_EQ(ErrorOf(deep, 16), "f.json: not valid JSON: nested deeper than 16 levels");
}

}  // namespace
}  // namespace intvit
