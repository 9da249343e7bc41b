// Measures the Verilated arrays' simulation speed (cycles per second of wall time) on a
// DeiT-Tiny-sized GEMM, 197 x 192 x 192 by default, and prints the RTL cycle count beside the
// formula. Wall time suffers when other jobs share the cores; CPU time does not. A measurement
// for docs/rtl.md, not a test.
// Usage: intvit_rtl_speed [M K N [repeats [geometry, e.g. 16x16 or 8x8/t2x2]]]
// A geometry that is not prebuilt is Verilated on first use (testbench/rtl_units.h); the time
// to make the unit is printed too.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "testbench/rtl_units.h"

int Main(int argc, char** argv) {
  using namespace intvit::tb;
  std::int64_t m = 197, k = 192, n = 192;
  int repeats = 3;
  if (argc >= 4) {
    m = std::atoll(argv[1]);
    k = std::atoll(argv[2]);
    n = std::atoll(argv[3]);
  }
  if (argc >= 5) repeats = std::atoi(argv[4]);
  const std::string only = argc >= 6 ? argv[5] : "";
  std::mt19937_64 rng(1);
  std::vector<std::int32_t> a(static_cast<std::size_t>(m * k));
  std::vector<std::int8_t> b(static_cast<std::size_t>(k * n));
  for (auto& v : a) v = static_cast<std::int32_t>(rng() % 256) - 128;
  for (auto& v : b) v = static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
  const GemmProblem p{m, k, n, a, b, {}};
  std::vector<ArrayGeometry> geometries = BuiltArrayGeometries();
  if (!only.empty()) {
    ArrayGeometry g;
    if (std::sscanf(only.c_str(), "%dx%d/t%dx%d", &g.rows, &g.cols, &g.tile_rows, &g.tile_cols) < 2) {
      std::cerr << "geometry " << only << " is not RxC or RxC/tTRxTC\n";
      return 2;
    }
    geometries = {g};
  }
  for (const ArrayGeometry& g : geometries) {
    const auto m0 = std::chrono::steady_clock::now();
    auto unit = MakeArrayUnit(g);
    std::cout << "ivit_array " << g.Name() << ": unit made in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - m0).count()
              << " s (" << (IsPrebuilt(g) ? "prebuilt" : "cache") << ")\n";
    double best = 0, best_cpu = 0;
    GemmRun run;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      run = unit->Run(std::span(&p, 1));
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      best = std::max(best, static_cast<double>(run.cycles) / s);
      best_cpu = std::max(best_cpu, static_cast<double>(run.cycles) / cpu);
    }
    std::cout << "ivit_array " << g.Name() << ": " << m << "x" << k << "x" << n << ", " << run.folds
              << " folds, " << run.cycles << " cycles (formula "
              << ArrayCyclesFormula(g, std::span(&p, 1)) << "), " << static_cast<std::int64_t>(best)
              << " cycles/s wall, " << static_cast<std::int64_t>(best_cpu)
              << " cycles/s of CPU time (best of " << repeats << ")\n";
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}
