// Shared testbench helpers for the nonlinear units: port bit access, clocking, a tiny
// intvit-vector-v1 reader (test code only; the real reader is model/io/vector_case.h) and
// mismatch reporting.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "verilated.h"

namespace intvit::tb {

// ------------------------------------------------------------------ port bit fields
template <class T>
  requires std::is_integral_v<T>
void PutBits(T& port, int lsb, int width, std::uint64_t v) {
  for (int i = 0; i < width; ++i) {
    const T bit = static_cast<T>(T{1} << (lsb + i));
    port = ((v >> i) & 1) ? static_cast<T>(port | bit) : static_cast<T>(port & ~bit);
  }
}
template <std::size_t N>
void PutBits(VlWide<N>& port, int lsb, int width, std::uint64_t v) {
  for (int i = 0; i < width; ++i) {
    const int b = lsb + i;
    const EData bit = EData{1} << (b % 32);
    port[b / 32] = ((v >> i) & 1) ? (port[b / 32] | bit) : (port[b / 32] & ~bit);
  }
}
template <class T>
  requires std::is_integral_v<T>
std::uint64_t GetBits(const T& port, int lsb, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) v |= static_cast<std::uint64_t>((port >> (lsb + i)) & 1) << i;
  return v;
}
template <std::size_t N>
std::uint64_t GetBits(const VlWide<N>& port, int lsb, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const int b = lsb + i;
    v |= static_cast<std::uint64_t>((port[b / 32] >> (b % 32)) & 1) << i;
  }
  return v;
}
inline std::int64_t SignExtend(std::uint64_t v, int width) {
  if (width >= 64) return static_cast<std::int64_t>(v);
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  v &= (sign << 1) - 1;
  return static_cast<std::int64_t>((v ^ sign) - sign);
}

// ------------------------------------------------------------------ clocking
// A Verilated top with clk_i and rst_ni, in its own context. Step(): inputs must be set before;
// the caller samples combinational outputs between Settle() and Edge().
template <class Model>
class Dut {
 public:
  Dut() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(2);  // X-initialised state is random: the design must not depend on it
    ctx_->randSeed(12345);
    m_ = std::make_unique<Model>(ctx_.get());
    m_->clk_i = 0;
    m_->rst_ni = 1;
    m_->eval();
    m_->rst_ni = 0;  // a falling edge: the asynchronous reset acts at once
    m_->eval();
    for (int i = 0; i < 2; ++i) Edge();
    m_->rst_ni = 1;
    Settle();
    cycle_ = 0;
  }
  ~Dut() { m_->final(); }
  Model& m() { return *m_; }
  void Settle() {
    m_->clk_i = 0;
    m_->eval();
  }
  void Edge() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    ++cycle_;
  }
  std::uint64_t cycle() const { return cycle_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> m_;
  std::uint64_t cycle_ = 0;
};

// ------------------------------------------------------------------ vector cases
struct Tensor {
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> values;
};

struct VectorCase {
  std::string name;
  std::string op;
  nlohmann::json params;
  std::map<std::string, Tensor> inputs, outputs;
};

inline int DTypeBits(const std::string& d) {
  if (d == "int8" || d == "uint8") return 8;
  if (d == "int16" || d == "uint16") return 16;
  if (d == "int32") return 32;
  if (d == "int64") return 64;
  throw std::runtime_error("unknown dtype " + d);
}

inline Tensor ReadTensor(const std::filesystem::path& dir, const nlohmann::json& j) {
  Tensor t;
  t.dtype = j.at("dtype").get<std::string>();
  t.shape = j.at("shape").get<std::vector<std::int64_t>>();
  if (j.contains("data")) {
    t.values = j.at("data").get<std::vector<std::int64_t>>();
    return t;
  }
  std::ifstream in(dir / j.at("file").get<std::string>());
  if (!in) throw std::runtime_error("cannot open hex file in " + dir.string());
  const int bits = DTypeBits(t.dtype);
  const bool is_signed = t.dtype[0] == 'i';
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    const std::uint64_t raw = std::stoull(line.substr(b), nullptr, 16);
    t.values.push_back(is_signed ? SignExtend(raw, bits) : static_cast<std::int64_t>(raw));
  }
  return t;
}

inline VectorCase ReadCase(const std::filesystem::path& dir) {
  std::ifstream in(dir / "manifest.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  VectorCase c;
  c.name = dir.parent_path().filename().string() + "/" + dir.filename().string();
  c.op = j.at("op").get<std::string>();
  c.params = j.value("params", nlohmann::json::object());
  for (const auto& [k, v] : j.at("inputs").items()) c.inputs[k] = ReadTensor(dir, v);
  if (j.contains("outputs")) {
    for (const auto& [k, v] : j.at("outputs").items()) c.outputs[k] = ReadTensor(dir, v);
  }
  return c;
}

// Every case of `op` under vectors/ivit and vectors/examples of the source tree, plus the roots
// listed (':'-separated) in IVIT_EXTRA_VECTOR_DIRS.
inline std::vector<std::filesystem::path> FindCases(const std::string& op) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots = {fs::path(INTVIT_SOURCE_DIR) / "vectors/ivit",
                                 fs::path(INTVIT_SOURCE_DIR) / "vectors/examples"};
  if (const char* extra = std::getenv("IVIT_EXTRA_VECTOR_DIRS")) {
    std::stringstream ss(extra);
    std::string r;
    while (std::getline(ss, r, ':')) {
      if (!r.empty()) roots.emplace_back(r);
    }
  }
  std::vector<fs::path> found;
  for (const auto& root : roots) {
    if (!fs::is_directory(root)) continue;
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(root)) {
      if (fs::exists(e.path() / "manifest.json")) dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) {
      std::ifstream in(d / "manifest.json");
      const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      if (j.is_object() && j.value("op", "") == op) found.push_back(d);
    }
  }
  return found;
}

// ------------------------------------------------------------------ comparison
// Fails with the first mismatch and the number of differing values; returns the count.
template <class A, class B>
std::size_t ExpectSameValues(const std::string& what, const std::vector<A>& got,
                             const std::vector<B>& want, std::int64_t cols) {
  if (got.size() != want.size()) {
    ADD_FAILURE() << what << ": " << got.size() << " values, expected " << want.size();
    return want.size();
  }
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (static_cast<std::int64_t>(got[i]) != static_cast<std::int64_t>(want[i])) {
      if (bad++ == 0) first = i;
    }
  }
  if (bad != 0) {
    ADD_FAILURE() << what << ": " << bad << " of " << got.size() << " values differ; first at row "
                  << first / cols << " col " << first % cols << ": got "
                  << static_cast<std::int64_t>(got[first]) << ", expected "
                  << static_cast<std::int64_t>(want[first]);
  }
  return bad;
}

// Stalls of the stream environment: the source withholds a beat and the sink refuses one with
// these probabilities (percent). Zero for the cycle-count checks.
struct Stalls {
  int in_gap_pct = 0;
  int out_block_pct = 0;
  std::uint64_t seed = 1;
};

// Per-row timing: cycle of the first accepted input beat and of the last output beat.
struct RowTiming {
  std::vector<std::uint64_t> first_in, last_out;
};

}  // namespace intvit::tb
