#include "testbench/area/unit_synth.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/io/sha256.h"
#include "testbench/dynamic/rtl_cache.h"
#include "testbench/dynamic/subprocess.h"

namespace intvit::tb::area {
namespace {

namespace fs = std::filesystem;
using dynamic::Argv;

// Bump when the script below changes in a way the hashed inputs do not show.
constexpr const char* kRecipe = "intvit-area 1";

std::string Yosys() {
  const char* env = std::getenv("INTVIT_YOSYS");
  const std::string y = env != nullptr && *env != '\0' ? env : dynamic::FindOnPath("yosys");
  if (y.empty() || access(y.c_str(), X_OK) != 0) {
    throw InputError(
        "yosys is not installed" +
        (y.empty() ? std::string(" (no `yosys` on PATH)")
                   : " (INTVIT_YOSYS=" + y + " is not an executable)") +
        "; the area model synthesizes the RTL with it: install it with `apt-get install yosys` "
        "(Debian; ./run.sh build does it) or point INTVIT_YOSYS at it");
  }
  return y;
}

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Script(const SynthSpec& spec, const Argv& sources, const fs::path& stat) {
  std::string s = "read_verilog -sv";
  for (const std::string& f : sources) s += " " + f;
  s += "; ";
  if (!spec.params.empty()) {
    s += "chparam";
    for (const std::string& p : spec.params) {
      const auto eq = p.find('=');
      s += " -set " + p.substr(0, eq) + " " + p.substr(eq + 1);
    }
    s += " " + spec.top + "; ";
  }
  if (spec.keep_memory) {
    s += "synth -top " + spec.top + " -run begin:fine; opt -full; techmap; opt -fast; abc; opt_clean; ";
  } else {
    s += "synth -top " + spec.top + "; ";
  }
  return s + "tee -q -o " + stat.string() + " stat";
}

// CPU seconds (user + system) of the children waited for so far.
double ChildCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::map<std::string, std::int64_t> CountsFromJson(const nlohmann::json& j) {
  std::map<std::string, std::int64_t> m;
  for (const auto& [k, v] : j.at("cells").items()) m[k] = v.get<std::int64_t>();
  return m;
}

}  // namespace

std::string YosysVersion() {
  const std::string v = dynamic::Capture({Yosys(), "-V"});
  if (v.empty()) throw InputError("yosys does not run (`yosys -V` failed); reinstall it");
  return v.substr(0, v.find('\n'));
}

std::map<std::string, std::int64_t> ParseYosysStat(const std::string& text) {
  // The last "Number of cells:" block: the hierarchy totals come after every module's own.
  std::istringstream in(text);
  std::map<std::string, std::int64_t> cells;
  bool seen = false, in_block = false, hierarchy = false;
  int modules = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("=== design hierarchy ===") != std::string::npos) {
      hierarchy = true;
      in_block = false;
      cells.clear();
      seen = false;
      continue;
    }
    if (line.find("=== ") != std::string::npos && !hierarchy) {
      ++modules;
      in_block = false;
      continue;
    }
    std::istringstream words(line);
    std::string a, b, c;
    words >> a;
    if (a == "Number") {
      words >> b >> c;
      if (b == "of" && c == "cells:") {
        cells.clear();
        seen = true;
        in_block = true;
      } else {
        in_block = false;
      }
      continue;
    }
    if (!in_block) continue;
    std::int64_t n = 0;
    if (!a.empty() && a[0] == '$' && (words >> n)) {
      cells[a] = n;
    } else {
      in_block = false;
    }
  }
  if (!seen || (!hierarchy && modules != 1)) {
    throw std::runtime_error("yosys stat: no cell counts for the design (" +
                             std::to_string(modules) + " modules and no hierarchy totals)");
  }
  return cells;
}

CellCounts SynthesizeCounts(const SynthSpec& spec) {
  const std::string yosys = Yosys();
  const std::string version = YosysVersion();
  const Argv sources = dynamic::UnitSources(spec.kind, spec.top);
  std::string material = std::string(kRecipe) + "\ntop " + spec.top + "\nmemory " +
                         (spec.keep_memory ? "kept" : "mapped") + "\nyosys " + version + "\n";
  for (const std::string& p : spec.params) material += "param " + p + "\n";
  for (const std::string& f : sources) {
    material += "file " + fs::path(f).filename().string() + " " + model::Sha256Hex(ReadText(f)) +
                "\n";
  }
  const fs::path cache = dynamic::CacheDir();
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec || access(cache.c_str(), W_OK) != 0) {
    throw InputError("the RTL cache folder " + cache.string() +
                     " cannot be written; set INTVIT_RTL_CACHE to a writable folder");
  }
  const std::string name = "area-" + dynamic::FolderStem({spec.kind, spec.top, spec.params, {}}) +
                           "-" + model::Sha256Hex(material).substr(0, 16);
  const fs::path file = cache / (name + ".json");
  CellCounts out;
  out.cache_file = file.string();
  auto read = [&] {
    const nlohmann::json j = nlohmann::json::parse(ReadText(file));
    out.cells = CountsFromJson(j);
    out.synth_seconds = j.at("synth_seconds").get<double>();
    out.synth_cpu_seconds = j.at("synth_cpu_seconds").get<double>();
    out.from_cache = true;
  };
  if (fs::exists(file)) {
    read();
    return out;
  }
  dynamic::FileLock lock(cache / (name + ".lock"));
  if (fs::exists(file)) {  // another process synthesized it meanwhile
    read();
    return out;
  }
  const fs::path tmp = cache / (".tmp-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  try {
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = ChildCpuSeconds();
    const fs::path stat = tmp / "stat.txt";
    dynamic::RunAll({{yosys, "-q", "-p", Script(spec, sources, stat)}}, tmp / "yosys.log",
                    "yosys on " + spec.top, 1);
    out.synth_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.synth_cpu_seconds = ChildCpuSeconds() - cpu0;
    out.cells = ParseYosysStat(ReadText(stat));
    nlohmann::json j = {{"key", material},
                        {"cells", out.cells},
                        {"synth_seconds", out.synth_seconds},
                        {"synth_cpu_seconds", out.synth_cpu_seconds}};
    WriteFileAtomically(file, j.dump(1) + "\n");
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(tmp, ec);
  return out;
}

}  // namespace intvit::tb::area
