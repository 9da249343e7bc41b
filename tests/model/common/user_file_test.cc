#include "model/common/user_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "model/common/error.h"

namespace intvit {
namespace {

std::filesystem::path TempDir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("intvit_user_file_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ErrorOf(const std::filesystem::path& p, std::uint64_t max_bytes) {
  try {
    ReadUserFile(p, max_bytes, "thing");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReadUserFile, ReadsARegularFileUpToTheCap) {
  const auto p = TempDir() / "ok.txt";
  std::ofstream(p) << "hello";
  EXPECT_EQ(ReadUserFile(p, 5, "thing"), "hello");
  EXPECT_EQ(ReadUserFile(p, 5, "thing", "shown"), "hello");
  EXPECT_EQ(ErrorOf(p, 4), p.string() + ": is 5 bytes; the thing may be at most 4 bytes");
}

TEST(ReadUserFile, RefusesEveryKindOfNonRegularFile) {
  const auto dir = TempDir();
  EXPECT_EQ(ErrorOf(dir, 100), dir.string() + ": is a directory; the thing must be a regular file");
  const auto fifo = dir / "fifo";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);  // reading it would block forever
  EXPECT_EQ(ErrorOf(fifo, 100),
            fifo.string() + ": is a FIFO (named pipe); the thing must be a regular file");
  if (std::filesystem::exists("/dev/zero")) {  // reading it would never end
    EXPECT_EQ(ErrorOf("/dev/zero", 100),
              "/dev/zero: is a character device; the thing must be a regular file");
  }
  EXPECT_EQ(ErrorOf(dir / "missing", 100),
            (dir / "missing").string() + ": cannot open (No such file or directory)");
}

TEST(OpenUserFile, NamesTheCallersWhere) {
  try {
    OpenUserFile(TempDir(), 100, "hex file", "c/manifest.json: inputs.x.file");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "c/manifest.json: inputs.x.file: is a directory; the hex file must be a regular file");
  }
}

}  // namespace
}  // namespace intvit
