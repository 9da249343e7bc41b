#include "sim/common/trace.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace intvit::sim {
namespace {

TEST(TraceWriter, WritesChromeTraceEventsInMicroseconds) {
  TraceWriter t(true, 500);
  const int array = t.Track("array");
  t.Track("load (DMA queue)");
  t.Complete(array, "gemm \"qkv\"", 1000, 250, "\"index\":3");
  const nlohmann::json j = nlohmann::json::parse(t.ToJson());
  const auto& ev = j["traceEvents"];
  // process name, 2 x (thread name, sort index), 1 event
  ASSERT_EQ(ev.size(), 6u);
  EXPECT_EQ(ev[1]["args"]["name"], "array");
  const auto& x = ev[5];
  EXPECT_EQ(x["ph"], "X");
  EXPECT_EQ(x["name"], "gemm \"qkv\"");
  EXPECT_DOUBLE_EQ(x["ts"].get<double>(), 2.0);  // 1000 cycles at 500 MHz
  EXPECT_DOUBLE_EQ(x["dur"].get<double>(), 0.5);
  EXPECT_EQ(x["tid"], 1);
  EXPECT_EQ(x["args"]["index"], 3);
  EXPECT_EQ(x["args"]["cycles"], 250);
}

TEST(TraceWriter, DisabledRecordsNothing) {
  TraceWriter t(false, 500);
  t.Complete(t.Track("array"), "gemm", 0, 1);
  EXPECT_EQ(t.size(), 0u);
}

}  // namespace
}  // namespace intvit::sim
