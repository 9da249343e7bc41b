// Coverage builds only (-DINTVIT_RTL_COVERAGE=ON, VM_COVERAGE=1): every Verilated unit writes
// its context's coverage counts (line points and the named cover points of rtl/, docs/rtl.md
// "Coverage") to its own file when it is destroyed, so no two units or processes share one.
// The folder is $INTVIT_RTL_COVERAGE_DIR, else <build>/coverage/dat; rtl/coverage/coverage.sh
// merges the files with verilator_coverage.
#pragma once

#if VM_COVERAGE
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include "model/common/atomic_file.h"
#include "verilated.h"
#include "verilated_cov.h"

namespace intvit::tb {

inline void WriteUnitCoverage(VerilatedContext* ctx) {
  static std::atomic<int> sequence{0};
  const char* env = std::getenv("INTVIT_RTL_COVERAGE_DIR");
  const std::filesystem::path dir = env != nullptr && *env != 0 ? env : INTVIT_RTL_COVERAGE_DIR;
  try {
    std::filesystem::create_directories(dir);
    const std::filesystem::path file =
        dir / (std::to_string(getpid()) + "-" + std::to_string(sequence++) + ".dat");
    WriteFileVia(file, [&](const std::filesystem::path& tmp) {
      ctx->coveragep()->write(tmp.c_str());
    });
  } catch (const std::exception& e) {
    // A destructor must not throw; a lost coverage file shows as missing counts, not a crash.
    std::fprintf(stderr, "warning: RTL coverage not written to %s: %s\n", dir.c_str(), e.what());
  }
}

}  // namespace intvit::tb
#endif
