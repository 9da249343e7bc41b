// A progress bar on stderr for long loops (calibration, evaluation), drawn only when stderr is a
// terminal, so logs and pipes stay clean. Update may be called from several threads.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <mutex>
#include <string>

namespace intvit::tools {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t total)
      : label_(std::move(label)), total_(total), on_(isatty(2) != 0) {}

  // One more item done.
  void Step() {
    if (!on_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    Draw(++done_);
  }
  // `done` of total items done (for callbacks that count themselves).
  void Set(std::int64_t done) {
    if (!on_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    Draw(done);
  }

 private:
  void Draw(std::int64_t done) {
    constexpr int kWidth = 30;
    const auto filled = total_ > 0 ? static_cast<int>(done * kWidth / total_) : kWidth;
    if (filled == last_filled_ && done != total_ && done % 16 != 0) return;
    last_filled_ = filled;
    std::cerr << "\r" << label_ << " [" << std::string(filled, '#')
              << std::string(kWidth - filled, ' ') << "] " << done << "/" << total_
              << (done == total_ ? "\n" : "") << std::flush;
  }

  std::string label_;
  std::int64_t total_;
  bool on_;
  std::mutex mutex_;
  std::int64_t done_ = 0;
  int last_filled_ = -1;
};

}  // namespace intvit::tools
