#include "onecard/platform/file_io.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>

namespace onecard::platform {
namespace {

namespace fs = std::filesystem;

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("onecard-file-io-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all);
    fs::remove_all(dir_);
  }
  static unsigned ModeOf(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  // Names in dir_ other than `keep`: a temporary file left behind would show here.
  std::vector<std::string> Others(const std::string& keep) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename() != keep) names.push_back(e.path().filename().string());
    }
    return names;
  }
  fs::path dir_;
};

TEST_F(FileIoTest, WritesTheWholeContentWithTheGivenModeWhateverTheUmask) {
  const std::string path = (dir_ / "keys.json").string();
  const mode_t old_umask = ::umask(0);  // would leave group/other bits from open()'s mode
  Status written = WriteFileAtomically(path, "secret\n", 0600);
  ::umask(old_umask);
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(*ReadWholeFile(path), "secret\n");
  EXPECT_TRUE(Others("keys.json").empty());
}

TEST_F(FileIoTest, ReplacesAnExistingFileWhole) {
  const std::string path = (dir_ / "bundle.json").string();
  ASSERT_TRUE(WriteFileAtomically(path, std::string(100'000, 'a')).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "short", 0640).ok());
  EXPECT_EQ(*ReadWholeFile(path), "short");
  EXPECT_EQ(ModeOf(path), 0640u);
  EXPECT_TRUE(Others("bundle.json").empty());
}

TEST_F(FileIoTest, AFailedWriteLeavesTheOldFileAndNoPartialFile) {
  const std::string path = (dir_ / "store.key").string();
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  // A file size limit makes write() fail part-way (EFBIG), for root too; SIGXFSZ would kill us.
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small{4096, old_limit.rlim_max};
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  Status failed = WriteFileAtomically(path, std::string(100'000, 'n'));
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(failed.code(), ErrorCode::kIoError);
  EXPECT_NE(failed.message().find(path + ".tmp."), std::string::npos) << failed.message();
  EXPECT_EQ(*ReadWholeFile(path), "old");
  EXPECT_TRUE(Others("store.key").empty());
}

TEST_F(FileIoTest, AFailedOpenLeavesTheOldFile) {
  const std::string path = (dir_ / "store.key").string();
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  // A directory where the temporary file would go: open() fails even for root (EISDIR).
  const fs::path blocker = path + ".tmp." + std::to_string(::getpid());
  fs::create_directories(blocker / "inside");
  Status failed = WriteFileAtomically(path, "new");
  EXPECT_EQ(failed.code(), ErrorCode::kIoError);
  EXPECT_NE(failed.message().find(blocker.string()), std::string::npos) << failed.message();
  EXPECT_EQ(*ReadWholeFile(path), "old");
  EXPECT_TRUE(fs::is_directory(blocker / "inside"));  // not removed: it was not ours
}

TEST_F(FileIoTest, AFailedRenameRemovesTheTemporaryFile) {
  const fs::path target = dir_ / "occupied";
  fs::create_directories(target / "not-empty");  // rename() cannot replace a non-empty directory
  Status failed = WriteFileAtomically(target.string(), "content");
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(fs::is_directory(target));
  EXPECT_TRUE(Others("occupied").empty());
}

TEST_F(FileIoTest, ReadingAMissingFileIsNotFoundAndNamesThePath) {
  const std::string path = (dir_ / "missing").string();
  Result<std::string> read = ReadWholeFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(read.status().message().find(path), std::string::npos);
  EXPECT_FALSE(FileExists(path));
}

TEST_F(FileIoTest, PrivateDirectoryIsCreatedWithMode0700AndAnExistingOneIsMadePrivate) {
  const fs::path fresh = dir_ / "a" / "b";
  ASSERT_TRUE(EnsurePrivateDirectory(fresh.string()).ok());
  EXPECT_EQ(ModeOf(fresh), 0700u);
  const fs::path open = dir_ / "open";
  fs::create_directories(open);
  fs::permissions(open, fs::perms::all);
  ASSERT_TRUE(EnsurePrivateDirectory(open.string()).ok());
  EXPECT_EQ(ModeOf(open), 0700u);
  EXPECT_TRUE(FileExists(open.string()));
}

}  // namespace
}  // namespace onecard::platform
