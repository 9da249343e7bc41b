// ParallelFor: runs fn(i) for i in [0, n) on `jobs` threads. Each index runs exactly once and
// writes only its own result slot, so the outcome never depends on the thread count; callers
// that fold results do so afterwards, in index order. The first exception (by index, not by
// time) is rethrown after every thread has stopped, so an error message is deterministic too.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace intvit {

// jobs 0 means every core.
inline unsigned ResolveJobs(unsigned jobs) {
  return jobs != 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
}

inline void ParallelFor(std::int64_t n, unsigned jobs, const std::function<void(std::int64_t)>& fn) {
  if (n <= 0) return;
  jobs = static_cast<unsigned>(std::min<std::int64_t>(ResolveJobs(jobs), n));
  if (jobs <= 1) {
    for (std::int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
  std::atomic<std::int64_t> next{0};
  // Indices are handed out in increasing order; after a failure at index f only indices below
  // f still run, so the lowest failing index is always found, as a serial loop would.
  std::atomic<std::int64_t> first_failed{n};
  auto worker = [&] {
    for (std::int64_t i = next++; i < first_failed; i = next++) {
      try {
        fn(i);
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
        std::int64_t f = first_failed;
        while (i < f && !first_failed.compare_exchange_weak(f, i)) {
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace intvit
