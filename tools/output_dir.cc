#include "tools/output_dir.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "model/common/error.h"

namespace intvit::tools {

namespace fs = std::filesystem;

void PrepareOutputDir(const std::string& dir, const std::string& option) {
  const std::string at = option + " " + dir + ": ";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw InputError(at + "exists and is not a directory");
  }
  fs::create_directories(dir, ec);
  Require(!ec && fs::is_directory(dir, ec),
          at + "cannot create the output directory" + (ec ? " (" + ec.message() + ")" : ""));
  const fs::path probe = fs::path(dir) / ".intvit-write-probe";
  std::ofstream(probe) << "probe\n";
  Require(fs::exists(probe, ec), at + "the directory is not writable");
  fs::remove(probe, ec);
}

void PrepareOutputFile(const std::string& path, const std::string& option) {
  const std::string at = option + " " + path + ": ";
  std::error_code ec;
  Require(!fs::is_directory(path, ec), at + "is a directory; give a file name");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) PrepareOutputDir(parent.string(), option);
}

}  // namespace intvit::tools
