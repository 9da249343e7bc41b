// The progress of a sweep on stderr: on a terminal one bar redrawn in place (points done of
// total, failures, elapsed, ETA); otherwise one plain line per finished point.
#pragma once

#include <cstddef>
#include <string>

#include "tools/stopwatch.h"

namespace intvit::tools::sweep {

class SweepProgress {
 public:
  // `done` points were finished by an earlier run (--resume); `quiet`: print nothing. On a
  // terminal the bar starts at once.
  SweepProgress(std::size_t total, std::size_t done, bool quiet);
  void PointDone(const std::string& id, bool ok);
  void Finish();
  double Seconds() const { return clock_.WallMs() / 1e3; }

 private:
  std::size_t total_, done_, ran_ = 0, failed_ = 0;
  bool tty_, quiet_;
  Stopwatch clock_;
};

}  // namespace intvit::tools::sweep
