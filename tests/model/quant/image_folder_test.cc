#include "model/quant/image_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/common/error.h"

namespace intvit::model {
namespace {

namespace fs = std::filesystem;

fs::path Fresh(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void Touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

TEST(ListImageFolder, ClassFoldersSortedByNameAreTheLabels) {
  const fs::path root = Fresh("intvit_folder_labelled");
  Touch(root / "b" / "2.png");
  Touch(root / "b" / "deeper" / "1.png");
  Touch(root / "a" / "9.png");
  Touch(root / "a" / ".hidden.png");
  Touch(root / "c" / "0.jpg");
  const ImageFolder f = ListImageFolder(root.string());
  ASSERT_TRUE(f.labelled());
  EXPECT_EQ(f.classes, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(f.files.size(), 4u);
  EXPECT_EQ(fs::path(f.files[0]).filename(), "9.png");
  EXPECT_EQ(fs::path(f.files[1]).filename(), "2.png");
  EXPECT_EQ(fs::path(f.files[2]).filename(), "1.png");
  EXPECT_EQ(f.labels, (std::vector<std::int64_t>{0, 1, 1, 2}));
  fs::remove_all(root);
}

TEST(ListImageFolder, FlatEmptyMixedAndMissingFolders) {
  const fs::path root = Fresh("intvit_folder_flat");
  EXPECT_THROW(ListImageFolder(root.string()), InputError);  // empty
  Touch(root / "x.png");
  Touch(root / "a.png");
  const ImageFolder f = ListImageFolder(root.string());
  EXPECT_FALSE(f.labelled());
  EXPECT_EQ(fs::path(f.files[0]).filename(), "a.png");
  Touch(root / "sub" / "y.png");
  EXPECT_THROW(ListImageFolder(root.string()), InputError);  // files and folders
  EXPECT_THROW(ListImageFolder((root / "x.png").string()), InputError);  // not a folder
  EXPECT_THROW(ListImageFolder((root / "nowhere").string()), InputError);
  fs::remove_all(root);
}

TEST(SpreadIndices, CoversTheListEvenly) {
  EXPECT_EQ(SpreadIndices(10, 4), (std::vector<std::int64_t>{0, 2, 5, 7}));
  EXPECT_EQ(SpreadIndices(3, 8), (std::vector<std::int64_t>{0, 1, 2}));
}

}  // namespace
}  // namespace intvit::model
