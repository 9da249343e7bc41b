#include "model/common/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "model/common/error.h"

namespace intvit {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("intvit_atomic_file_test_" + std::to_string(::getpid()) +
                                         "_" + ::testing::UnitTest::GetInstance()
                                                   ->current_test_info()
                                                   ->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Every name in the folder; a leftover temporary would show up here.
  std::string Listing() const {
    std::string s;
    for (const auto& e : fs::directory_iterator(dir_)) s += e.path().filename().string() + " ";
    return s;
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAndReplaces) {
  const fs::path p = dir_ / "out.json";
  WriteFileAtomically(p, "old\n");
  EXPECT_EQ(Read(p), "old\n");
  WriteFileAtomically(p, std::string(1 << 20, 'x'));
  EXPECT_EQ(Read(p), std::string(1 << 20, 'x'));
  WriteFileAtomically(p, "");
  EXPECT_EQ(Read(p), "");
  EXPECT_EQ(Listing(), "out.json ");
}

TEST_F(AtomicFileTest, WriterThatFailsMidwayLeavesTheOldFileAndNoTemporary) {
  const fs::path p = dir_ / "stats.csv";
  WriteFileAtomically(p, "a,b\n1,2\n");
  EXPECT_THROW(WriteFileVia(p,
                            [](const fs::path& tmp) {
                              std::ofstream f(tmp, std::ios::binary);
                              f << "a,b\n3,";  // half a row, then the writer dies
                              f.close();
                              throw std::runtime_error("disk on fire");
                            }),
               std::runtime_error);
  EXPECT_EQ(Read(p), "a,b\n1,2\n");
  EXPECT_EQ(Listing(), "stats.csv ");
}

TEST_F(AtomicFileTest, WriteViaRenamesWhatTheWriterWrote) {
  const fs::path p = dir_ / "program.bin";
  WriteFileVia(p, [&p](const fs::path& tmp) {
    EXPECT_EQ(tmp.parent_path(), p.parent_path());  // the same folder, so rename is atomic
    EXPECT_NE(tmp.filename(), "program.bin");
    std::ofstream(tmp, std::ios::binary) << "IVITPROG";
  });
  EXPECT_EQ(Read(p), "IVITPROG");
  EXPECT_EQ(Listing(), "program.bin ");
}

TEST_F(AtomicFileTest, WriterThatWritesNothingIsAnError) {
  const fs::path p = dir_ / "x.txt";
  WriteFileAtomically(p, "keep");
  EXPECT_THROW(WriteFileVia(p, [](const fs::path&) {}), InputError);
  EXPECT_EQ(Read(p), "keep");
  EXPECT_EQ(Listing(), "x.txt ");
}

TEST_F(AtomicFileTest, ErrorsNameThePath) {
  // A folder that does not exist: the temporary cannot be created.
  const fs::path missing = dir_ / "no" / "such" / "f.json";
  try {
    WriteFileAtomically(missing, "{}");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(missing.generic_string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot write"), std::string::npos) << e.what();
  }
  // The target is a non-empty folder: the rename fails, the temporary is removed.
  fs::create_directories(dir_ / "taken" / "inside");
  try {
    WriteFileAtomically(dir_ / "taken", "{}");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "taken").generic_string()), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(Listing(), "taken ");
}

TEST_F(AtomicFileTest, FullDiskIsAnInputErrorAndLeavesNoTemporary) {
  // /dev/full cannot hold a temporary beside it, so write through a writer that hits ENOSPC.
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const fs::path p = dir_ / "trace.json";
  WriteFileAtomically(p, "[]");
  EXPECT_THROW(WriteFileVia(p,
                            [](const fs::path& tmp) {
                              std::ofstream(tmp) << "partial";
                              std::ofstream full("/dev/full");
                              full << std::string(1 << 16, 'x');
                              full.flush();
                              Require(static_cast<bool>(full), tmp.string() + ": no space");
                            }),
               InputError);
  EXPECT_EQ(Read(p), "[]");
  EXPECT_EQ(Listing(), "trace.json ");
}

}  // namespace
}  // namespace intvit
