#include "compiler/config_dirs.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace intvit::compiler {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> SearchDirs(const std::string& kind) {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("INTVIT_CONFIG_DIR")) dirs.push_back(fs::path(env) / kind);
  dirs.push_back(fs::path("configs") / kind);
#ifdef INTVIT_SOURCE_DIR
  dirs.push_back(fs::path(INTVIT_SOURCE_DIR) / "configs" / kind);
#endif
  return dirs;
}

}  // namespace

std::vector<std::string> ShippedConfigNames(const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& dir : SearchDirs(kind)) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string FindShippedConfig(const std::string& kind, const std::string& name) {
  std::error_code ec;
  for (const auto& dir : SearchDirs(kind)) {
    const fs::path p = dir / (name + ".json");
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

}  // namespace intvit::compiler
