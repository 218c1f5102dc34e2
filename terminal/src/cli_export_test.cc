// `onecard-terminal export` run in-process through the real command table and runner (no card
// reader, no network): --out leaves one 0600 file and no temporary file; refusals (an unknown or
// erased child, someone who is not staff, an --out in no directory) exit non-zero with one
// sentence naming the problem and write nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/file_io.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/cli.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct CliRun {
  int exit_code = 0;
  std::string out, err;
};

class CliExportTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    StoreFixture::SetUp();
    old_umask_ = ::umask(022);  // RunCli sets 077 for the process; restored after the test
    ::setenv("ONECARD_PASSPHRASE", testing::kTestPassphrase, 1);
    out_dir_ = dir_ + "-out";
    fs::create_directories(out_dir_);
    auto store = Open();
    ASSERT_TRUE(store);
    auto id = store->children().Register(testing::MakeTestRecord("陈晓"));
    ASSERT_TRUE(id.ok());
    child_ = *id;
  }
  void TearDown() override {
    ::unsetenv("ONECARD_PASSPHRASE");
    ::umask(old_umask_);
    fs::remove_all(out_dir_);
    StoreFixture::TearDown();
    SetLanguage(Language::kZh);
  }
  // onecard-terminal `args` --data DIR as `user`.
  CliRun Run(std::vector<std::string> args, const std::string& user = "chen") {
    args.insert(args.begin(), "onecard-terminal");
    for (const std::string& extra : {std::string("--data"), dir_, std::string("--user"), user})
      args.push_back(extra);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    CliRun run;
    run.exit_code = RunCli(static_cast<int>(argv.size()), argv.data(), clock_);
    run.out = ::testing::internal::GetCapturedStdout();
    run.err = ::testing::internal::GetCapturedStderr();
    return run;
  }
  std::vector<std::string> FilesInOutDir() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(out_dir_))
      names.push_back(entry.path().filename().string());
    return names;
  }

  platform::TestClock clock_;
  mode_t old_umask_ = 0;
  std::string out_dir_, child_;
};

TEST_F(CliExportTest, OutLeavesOnePrivateFileAndNoTemporaryFile) {
  const std::string page = out_dir_ + "/copy.html";
  CliRun html = Run({"export", "--child", child_, "--out", page});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(html.out.find("wrote the copy of child " + child_), std::string::npos) << html.out;
  struct stat st {};
  ASSERT_EQ(::stat(page.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(platform::ReadWholeFile(page)->starts_with("<!DOCTYPE html>"));

  const std::string data = out_dir_ + "/copy.json";
  CliRun j = Run({"export", "--child", child_, "--json", "--out", data});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(json::parse(j.out)["out"], data);
  json copy = json::parse(*platform::ReadWholeFile(data));
  EXPECT_EQ(copy["child_id"], child_);
  EXPECT_EQ(copy["accesses"].back()["action"], "child.export");
  EXPECT_EQ(FilesInOutDir().size(), 2u);  // copy.html and copy.json, nothing else

  CliRun stdout_json = Run({"export", "--child", child_, "--json"});
  ASSERT_EQ(stdout_json.exit_code, 0) << stdout_json.err;
  EXPECT_EQ(json::parse(stdout_json.out)["record"]["name"], "陈晓");
}

TEST_F(CliExportTest, RefusalsNameTheProblemAndWriteNothing) {
  const std::string out = out_dir_ + "/copy.html";
  CliRun unknown = Run({"export", "--child", "GD-T1-404", "--out", out});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no child GD-T1-404"), std::string::npos) << unknown.err;

  CliRun stranger = Run({"export", "--child", child_, "--out", out}, "wu");
  EXPECT_NE(stranger.exit_code, 0);
  EXPECT_FALSE(stranger.err.empty());

  CliRun nowhere = Run({"export", "--child", child_, "--out", out_dir_ + "/missing/copy.html"});
  EXPECT_NE(nowhere.exit_code, 0);
  EXPECT_NE(nowhere.err.find("does not exist"), std::string::npos) << nowhere.err;

  auto store = Open();
  ASSERT_TRUE(store->erasures().Erase(child_, "registered_in_error").ok());
  store.reset();
  CliRun erased = Run({"export", "--child", child_, "--out", out});
  EXPECT_NE(erased.exit_code, 0);
  EXPECT_NE(erased.err.find("child " + child_ + " was erased"), std::string::npos) << erased.err;
  EXPECT_EQ(std::count(erased.err.begin(), erased.err.end(), '\n'), 1);  // one sentence

  EXPECT_TRUE(FilesInOutDir().empty());
}

}  // namespace
}  // namespace onecard::terminal
