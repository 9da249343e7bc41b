// Helpers of the tile planners: candidate tile sizes and the choice of the cheapest tiling that
// fits. The planners of each node group (compiler/lower/lower_*.cc) describe their tilings and
// their SRAM footprint; this file only enumerates and compares.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace intvit::compiler {

// Tile sizes for a dimension of `total`: total itself, then ceil(total / d) rounded up to a
// multiple of `unit` for d = 2, 3, ..., then `unit` and (if unit > 1) smaller sizes down to
// `min_size`; distinct, descending, at most `max_count` of them. `unit` is the array dimension
// (or the im2col granule) the tile should be a multiple of where possible.
std::vector<std::int64_t> TileCandidates(std::int64_t total, std::int64_t unit,
                                         std::int64_t min_size, std::size_t max_count = 16);

// The largest candidate (candidates descending) for which `fits` holds, or nullopt. `fits` must
// be monotone: if a size fits, every smaller one does.
std::optional<std::int64_t> LargestFitting(const std::vector<std::int64_t>& candidates,
                                           const std::function<bool(std::int64_t)>& fits);

// The estimated cost of a tiling in DRAM-byte equivalents: traffic, plus a fixed cost per
// instruction, with single-buffered tilings (no DMA/compute overlap) counted 30% dearer.
double TilingCost(double dram_bytes, double instructions, bool double_buffered);

}  // namespace intvit::compiler
