#include "tools/sweep/progress.h"

#include <unistd.h>

#include <cstdio>

namespace intvit::tools::sweep {
namespace {

std::string MinSec(double s) {
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace

SweepProgress::SweepProgress(std::size_t total, std::size_t done, bool quiet)
    : total_(total), done_(done), tty_(isatty(STDERR_FILENO) != 0), quiet_(quiet) {
  if (!quiet_ && tty_ && done_ < total_) {
    std::fprintf(stderr, "\rsweep %zu/%zu points, running...", done_, total_);
    std::fflush(stderr);
  }
}

void SweepProgress::PointDone(const std::string& id, bool ok) {
  ++done_;
  ++ran_;
  if (!ok) ++failed_;
  if (quiet_) return;
  const double s = Seconds();
  // Points of this run so far set the pace for the rest.
  const std::string eta =
      MinSec(s / static_cast<double>(ran_) * static_cast<double>(total_ - done_));
  if (tty_) {
    constexpr int kWidth = 30;
    const int fill = static_cast<int>(kWidth * done_ / (total_ ? total_ : 1));
    std::fprintf(stderr, "\rsweep [%s%s] %zu/%zu points, %zu failed, %s elapsed, ETA %s ",
                 std::string(fill, '#').c_str(), std::string(kWidth - fill, '.').c_str(), done_,
                 total_, failed_, MinSec(s).c_str(), eta.c_str());
  } else {
    std::fprintf(stderr, "sweep: %zu/%zu points, %zu failed, %s %s, ETA %s\n", done_, total_,
                 failed_, id.c_str(), ok ? "ok" : "FAILED", eta.c_str());
  }
  std::fflush(stderr);
}

void SweepProgress::Finish() {
  if (!quiet_ && tty_ && ran_ > 0) std::fprintf(stderr, "\n");
}

}  // namespace intvit::tools::sweep
