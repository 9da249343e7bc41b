#include "model/quant/image_folder.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "model/common/error.h"

namespace intvit::model {
namespace {

namespace fs = std::filesystem;

bool Hidden(const fs::path& p) { return p.filename().string().starts_with("."); }

// Regular files below dir (recursively, hidden entries skipped), appended in sorted order.
void ListFiles(const fs::path& dir, const std::string& root, std::vector<std::string>& out) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!Hidden(it->path())) entries.push_back(it->path());
  }
  Require(!ec, root + ": cannot list " + dir.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    if (fs::is_directory(p, ec)) {
      ListFiles(p, root, out);
    } else {
      out.push_back(p.string());
    }
    Require(static_cast<std::int64_t>(out.size()) <= kMaxFolderImages,
            root + ": more than " + std::to_string(kMaxFolderImages) + " files");
  }
}

}  // namespace

ImageFolder ListImageFolder(const std::string& root) {
  std::error_code ec;
  Require(fs::is_directory(root, ec), root + ": not a folder");
  ImageFolder f;
  f.root = root;
  std::vector<fs::path> dirs, files;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (Hidden(it->path())) continue;
    (fs::is_directory(it->path(), ec) ? dirs : files).push_back(it->path());
  }
  Require(!ec, root + ": cannot list the folder: " + ec.message());
  if (!dirs.empty() && !files.empty()) {
    throw InputError(root + ": holds both files (" + files.front().filename().string() +
                     ") and folders (" + dirs.front().filename().string() +
                     "); an ImageFolder holds one folder per class, a flat folder only pictures");
  }
  std::sort(dirs.begin(), dirs.end());
  if (!dirs.empty()) {
    for (const fs::path& d : dirs) {
      ListFiles(d, root, f.files);
      f.labels.resize(f.files.size(), static_cast<std::int64_t>(f.classes.size()));
      f.classes.push_back(d.filename().string());
    }
  } else {
    ListFiles(root, root, f.files);
  }
  Require(!f.files.empty(), root + ": no image files in the folder");
  return f;
}

std::vector<std::int64_t> SpreadIndices(std::int64_t total, std::int64_t count) {
  std::vector<std::int64_t> v;
  if (count >= total) count = total;
  for (std::int64_t i = 0; i < count; ++i) v.push_back(i * total / count);
  return v;
}

}  // namespace intvit::model
