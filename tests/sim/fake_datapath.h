// A DataPath for unit tests: plain byte arrays sized by the ArchConfig and a Compute() that
// only records which instructions it was asked for (timing tests need no numerics).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "compiler/arch_config.h"
#include "sim/units/datapath.h"

namespace intvit::sim::testing {

class FakeDataPath : public DataPath {
 public:
  explicit FakeDataPath(const compiler::ArchConfig& a, std::size_t dram_bytes = 1 << 20) {
    mem_[static_cast<int>(isa::Space::kDram)].resize(dram_bytes);
    for (int b = 0; b < isa::kNumBuffers; ++b) {
      mem_[b].resize(static_cast<std::size_t>(a.SramBytes(static_cast<isa::Buffer>(b))));
    }
  }
  std::span<std::uint8_t> Memory(isa::Space s) override { return mem_[static_cast<int>(s)]; }
  std::optional<std::int64_t> Compute(const isa::Instr&, std::size_t index,
                                      std::int64_t) override {
    computed.push_back(index);
    return std::nullopt;
  }

  std::vector<std::size_t> computed;

 private:
  std::array<std::vector<std::uint8_t>, isa::kNumSpaces> mem_;
};

}  // namespace intvit::sim::testing
