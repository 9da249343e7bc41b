#include "sim/common/bandwidth_calendar.h"

#include <gtest/gtest.h>

namespace intvit::sim {
namespace {

TEST(BandwidthCalendar, BackToBackRequestsQueue) {
  BandwidthCalendar c;
  EXPECT_EQ(c.Reserve(0, 16), 0);
  EXPECT_EQ(c.Reserve(0, 16), 16);
  EXPECT_EQ(c.Reserve(5, 16), 32);
  EXPECT_EQ(c.intervals(), 1u);  // merged
  EXPECT_EQ(c.busy_cycles(), 48);
}

TEST(BandwidthCalendar, LateCallerFillsAnEarlierGap) {
  BandwidthCalendar c;
  EXPECT_EQ(c.Reserve(100, 10), 100);  // a caller that ran ahead
  EXPECT_EQ(c.Reserve(0, 10), 0);      // fits before it
  EXPECT_EQ(c.Reserve(5, 91), 110);    // [10, 100) is too short for 91
  EXPECT_EQ(c.Reserve(10, 90), 10);    // exactly fills the gap; everything merges
  EXPECT_EQ(c.intervals(), 1u);
}

TEST(BandwidthCalendar, PruneForgetsThePast) {
  BandwidthCalendar c;
  c.Reserve(0, 10);
  c.Reserve(50, 10);
  c.Prune(20);
  EXPECT_EQ(c.intervals(), 1u);
  EXPECT_EQ(c.Reserve(20, 40), 60);
}

}  // namespace
}  // namespace intvit::sim
