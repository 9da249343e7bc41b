// Wall and CPU time of a phase, for the timing lines of the CLI (the machines this runs on are
// often shared, so CPU time is the steadier number).
#pragma once

#include <chrono>
#include <ctime>

namespace intvit::tools {

class Stopwatch {
 public:
  Stopwatch() { Restart(); }
  void Restart() {
    wall0_ = std::chrono::steady_clock::now();
    cpu0_ = Cpu();
  }
  double WallMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0_)
        .count();
  }
  double CpuMs() const { return Cpu() - cpu0_; }

 private:
  static double Cpu() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
  }
  std::chrono::steady_clock::time_point wall0_;
  double cpu0_ = 0;
};

}  // namespace intvit::tools
