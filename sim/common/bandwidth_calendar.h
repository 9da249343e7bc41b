// BandwidthCalendar: reservations of a resource that serves one request at a time (the DRAM
// channel). A request asks for `duration` cycles no earlier than `earliest` and gets the first
// free gap that fits. With LT temporal decoupling, initiators call in an order that differs
// from their local times; filling gaps instead of appending keeps the result independent of
// that call order as long as the gaps are there to fill.
//
// Not modelled: priorities, preemption, splitting a request over two gaps.
#pragma once

#include <cstdint>
#include <map>

namespace intvit::sim {

class BandwidthCalendar {
 public:
  // Reserves [start, start + duration) with start >= earliest and returns start.
  std::int64_t Reserve(std::int64_t earliest, std::int64_t duration);
  // Forgets reservations that end at or before `now` (no later request can start before it).
  void Prune(std::int64_t now);
  std::int64_t busy_cycles() const { return busy_; }
  std::size_t intervals() const { return busy_intervals_.size(); }

 private:
  std::map<std::int64_t, std::int64_t> busy_intervals_;  // start -> end, disjoint, merged
  std::int64_t busy_ = 0;
};

}  // namespace intvit::sim
