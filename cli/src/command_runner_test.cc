#include "onecard/cli/command_runner.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace onecard::cli {
namespace {

struct TestCommand {
  CommandSpec spec;
  std::function<Result<Reply>(const Args&)> run;
};

const ProgramSpec kProgram{
    "prog",
    "测试程序",
    "test program",
    {Optional("--user", "操作者", "acting person"), Switch("--json", "JSON", "JSON")},
    {{{"card"}, "卡", "cards"}}};

// Runs `words` (after the program name) through Parse.
Parsed ParseWords(const std::vector<CommandSpec>& specs, std::vector<std::string> words) {
  words.insert(words.begin(), "prog");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  std::vector<const CommandSpec*> pointers;
  for (const CommandSpec& s : specs) pointers.push_back(&s);
  return Parse(kProgram, pointers, static_cast<int>(argv.size()), argv.data());
}

const std::vector<CommandSpec> kSpecs = {
    {{"card", "issue"}, "发卡", "issue", {Required("--child")}},
    {{"card", "read"}, "读卡", "read", {Number("--wait", "秒", "seconds", 0, 60)}},
    {{"staff", "add"},
     "添加",
     "add",
     {Required("--user"), Optional("--role", "", "", "registrar")}},
    {{"review", "merge"}, "合并", "merge", {List("children", "两个", "two", 2, true)}},
};

TEST(CommandTable, ChoosesTheLeafAndTakesGlobalFlagsAfterIt) {
  Parsed p =
      ParseWords(kSpecs, {"card", "issue", "--child", "GD-T1-7", "--user", "chen", "--json"});
  ASSERT_TRUE(p.command.has_value());
  EXPECT_EQ(*p.command, 0u);
  EXPECT_EQ(p.args.Text("--child"), "GD-T1-7");
  EXPECT_EQ(p.args.Text("--user"), "chen");
  EXPECT_TRUE(p.args.On("--json"));
}

TEST(CommandTable, ACommandFlagNamedLikeAGlobalOneKeepsBothValues) {
  Parsed p = ParseWords(kSpecs, {"--user", "chen", "staff", "add", "--user", "wang"});
  ASSERT_EQ(p.command, 2u);
  EXPECT_EQ(p.args.Text("--user"), "wang");
  EXPECT_EQ(p.args.GlobalText("--user"), "chen");
  EXPECT_EQ(p.args.Text("--role"), "registrar");  // the default
  EXPECT_FALSE(p.args.On("--json"));
}

TEST(CommandTable, PositionalListTakesExactlyItsCount) {
  Parsed two = ParseWords(kSpecs, {"review", "merge", "A-1", "B-2"});
  ASSERT_EQ(two.command, 3u);
  EXPECT_EQ(two.args.Values("children"), (std::vector<std::string>{"A-1", "B-2"}));
  Parsed one = ParseWords(kSpecs, {"review", "merge", "A-1"});
  EXPECT_FALSE(one.command.has_value());
  EXPECT_NE(one.exit_code, 0);
}

TEST(CommandTable, NumbersOutsideTheirRangeAndMissingRequiredFlagsAreUsageErrors) {
  Parsed ok = ParseWords(kSpecs, {"card", "read", "--wait", "30"});
  ASSERT_EQ(ok.command, 1u);
  EXPECT_EQ(ok.args.NumberOf("--wait"), 30);
  EXPECT_EQ(ParseWords(kSpecs, {"card", "read"}).args.NumberOf("--wait"), 0);
  for (auto words : std::vector<std::vector<std::string>>{{"card", "read", "--wait", "61"},
                                                          {"card", "read", "--wait", "soon"},
                                                          {"card", "issue"},
                                                          {"card"},
                                                          {}}) {
    Parsed p = ParseWords(kSpecs, words);
    EXPECT_FALSE(p.command.has_value());
    EXPECT_NE(p.exit_code, 0);
  }
}

// Runs `words` through Run with one command whose handler is `run`; returns the exit status.
int RunWords(std::function<Result<Reply>(const Args&)> run, std::vector<std::string> words) {
  std::vector<TestCommand> table = {{kSpecs[0], std::move(run)}};
  words.insert(words.begin(), "prog");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  return Run(kProgram, table, static_cast<int>(argv.size()), argv.data(),
             [](const TestCommand& c, const Args& args) { return c.run(args); });
}

TEST(CommandRunner, PrintsTextOrJsonAndMapsAStatusToTheExitStatus) {
  auto both = [](const Args& args) -> Result<Reply> {
    return Reply::Both("issued " + args.Text("--child") + "\n", "{\"ok\":1}");
  };
  testing::internal::CaptureStdout();
  EXPECT_EQ(RunWords(both, {"card", "issue", "--child", "X"}), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "issued X\n");
  testing::internal::CaptureStdout();
  EXPECT_EQ(RunWords(both, {"card", "issue", "--child", "X", "--json"}), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "{\"ok\":1}\n");

  auto failing = [](const Args&) -> Result<Reply> {
    return Status(ErrorCode::kNotFound, "no such child");
  };
  testing::internal::CaptureStderr();
  EXPECT_EQ(RunWords(failing, {"card", "issue", "--child", "X"}), 1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("no such child"), std::string::npos);

  auto problem = [](const Args&) -> Result<Reply> { return Reply::Problem("chain broken"); };
  testing::internal::CaptureStderr();
  EXPECT_EQ(RunWords(problem, {"card", "issue", "--child", "X"}), 1);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "chain broken\n");
}

}  // namespace
}  // namespace onecard::cli
