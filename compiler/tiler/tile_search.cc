#include "compiler/tiler/tile_search.h"

#include <algorithm>

namespace intvit::compiler {

std::vector<std::int64_t> TileCandidates(std::int64_t total, std::int64_t unit,
                                         std::int64_t min_size, std::size_t max_count) {
  std::vector<std::int64_t> c;
  auto add = [&](std::int64_t v) {
    v = std::clamp<std::int64_t>(v, std::max<std::int64_t>(1, min_size), total);
    if (std::find(c.begin(), c.end(), v) == c.end()) c.push_back(v);
  };
  add(total);
  unit = std::max<std::int64_t>(1, unit);
  for (std::int64_t d = 2; d <= total && c.size() < 4 * max_count; ++d) {
    const std::int64_t v = (total + d - 1) / d;
    add((v + unit - 1) / unit * unit);
    if (v < unit) break;
  }
  for (std::int64_t v = unit; v >= min_size && v >= 1; v /= 2) add(v);
  std::sort(c.rbegin(), c.rend());
  if (c.size() > max_count) {
    // Keep the largest few and a geometric spread of the rest, always including the smallest.
    const std::size_t head = max_count / 2;
    std::vector<std::int64_t> kept(c.begin(), c.begin() + head);
    const std::size_t rest = c.size() - head;
    const std::size_t want = max_count - head;
    for (std::size_t k = 1; k <= want; ++k) {
      const std::int64_t v = c[head + (rest - 1) * k / want];
      if (std::find(kept.begin(), kept.end(), v) == kept.end()) kept.push_back(v);
    }
    c = kept;
  }
  return c;
}

std::optional<std::int64_t> LargestFitting(const std::vector<std::int64_t>& candidates,
                                           const std::function<bool(std::int64_t)>& fits) {
  // Binary search over the descending list for the first fitting entry.
  std::size_t lo = 0, hi = candidates.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (fits(candidates[mid])) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo == candidates.size()) return std::nullopt;
  return candidates[lo];
}

double TilingCost(double dram_bytes, double instructions, bool double_buffered) {
  const double cost = dram_bytes + 256.0 * instructions;
  return double_buffered ? cost : 1.3 * cost;
}

}  // namespace intvit::compiler
