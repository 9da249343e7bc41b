#include "sim/common/stats.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace intvit::sim {
namespace {

TEST(StatsRegistry, CountersNestIntoJsonWithDescriptions) {
  StatsRegistry s;
  std::int64_t& busy = s.Counter("units.array.busy_cycles", "cycles busy");
  s.Counter("units.load.busy_cycles", "cycles busy");
  busy += 7;
  const nlohmann::json j = s.ToJson();
  EXPECT_EQ(j["units"]["array"]["busy_cycles"]["value"], 7);
  EXPECT_EQ(j["units"]["array"]["busy_cycles"]["description"], "cycles busy");
  EXPECT_EQ(j["units"]["load"]["busy_cycles"]["value"], 0);
}

TEST(StatsRegistry, FormulasAreEvaluatedWhenRead) {
  StatsRegistry s;
  std::int64_t& a = s.Counter("a", "a");
  s.Formula("half_a", "a / 2", [&a] { return a / 2.0; });
  a = 5;
  EXPECT_DOUBLE_EQ(s.Value("half_a").get<double>(), 2.5);
}

TEST(StatsRegistry, FlattensToCsvInRegistrationOrder) {
  StatsRegistry s;
  s.Counter("z.x", "last, alphabetically") = 1;
  s.Set("a", "a name, with a comma", std::string("text"));
  EXPECT_EQ(s.ToCsv(),
            "name,value,description\nz.x,1,\"last, alphabetically\"\na,text,\"a name, with a "
            "comma\"\n");
}

TEST(StatsRegistry, RejectsDuplicatesAndLeafGroupClashes) {
  StatsRegistry s;
  s.Counter("a.b", "");
  EXPECT_THROW(s.Counter("a.b", ""), std::logic_error);
  EXPECT_THROW(s.Counter("a.b.c", ""), std::logic_error);
  EXPECT_THROW(s.Counter("a", ""), std::logic_error);
  EXPECT_THROW(s.Counter("bad..name", ""), std::logic_error);
}

}  // namespace
}  // namespace intvit::sim
