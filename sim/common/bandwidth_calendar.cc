#include "sim/common/bandwidth_calendar.h"

#include <iterator>

namespace intvit::sim {

std::int64_t BandwidthCalendar::Reserve(std::int64_t earliest, std::int64_t duration) {
  if (duration <= 0) return earliest;
  busy_ += duration;
  std::int64_t start = earliest;
  auto next = busy_intervals_.upper_bound(start);  // first interval starting after `start`
  if (next != busy_intervals_.begin()) {
    auto prev = std::prev(next);
    if (prev->second > start) start = prev->second;
  }
  while (next != busy_intervals_.end() && next->first < start + duration) {
    start = std::max(start, next->second);
    ++next;
  }
  // Insert [start, end) and merge with the neighbours it touches.
  std::int64_t end = start + duration;
  if (next != busy_intervals_.end() && next->first == end) {
    end = next->second;
    next = busy_intervals_.erase(next);
  }
  if (next != busy_intervals_.begin()) {
    auto prev = std::prev(next);
    if (prev->second == start) {
      prev->second = end;
      return start;
    }
  }
  busy_intervals_.emplace_hint(next, start, end);
  return start;
}

void BandwidthCalendar::Prune(std::int64_t now) {
  auto it = busy_intervals_.begin();
  while (it != busy_intervals_.end() && it->second <= now) it = busy_intervals_.erase(it);
}

}  // namespace intvit::sim
