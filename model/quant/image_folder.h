// Prepare time: a folder of pictures as users keep them. torchvision's ImageFolder layout
// (root/<class>/<...>/<image>, classes sorted by name, the class index is the label) is a
// labelled dataset; a folder with pictures directly in it is an unlabelled (flat) one.
// docs/images.md §Folders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace intvit::model {

// Most files listed from one folder.
inline constexpr std::int64_t kMaxFolderImages = 1'000'000;

struct ImageFolder {
  std::string root;
  std::vector<std::string> files;    // every regular, non-hidden file below root, sorted by path
  std::vector<std::int64_t> labels;  // per file: index into classes (labelled only)
  std::vector<std::string> classes;  // the sub-folder names, sorted (labelled only)
  bool labelled() const { return !classes.empty(); }
};

// Lists `root` recursively. Files and folders whose name starts with '.' are skipped; every other
// file must be a picture (checked when it is read, not here). Labelled when root holds only
// folders; flat when it holds only files; InputError (naming root) when it mixes both, is not a
// readable folder, holds no files, or more than kMaxFolderImages.
ImageFolder ListImageFolder(const std::string& root);

// `count` of the folder's `total` files spread evenly over the sorted list (index
// floor(i * total / count)), so every class is represented; all of them when count >= total.
std::vector<std::int64_t> SpreadIndices(std::int64_t total, std::int64_t count);

}  // namespace intvit::model
