// Identity review by supervisors at terminals (issue 6), without a card: a child registered at a
// Jiangsu site and at a Guangdong site with names differing in one character of unrelated sound
// (陈思雨 / 陈思琪) and the day and month of birth swapped is not linked automatically; after sync
// the pair is in both sites' review queues; the Guangdong supervisor's `review merge` travels with
// the next sync, the server counts one child and the Jiangsu terminal shows the records as one
// person; a supervisor's `review unmerge` at the Jiangsu terminal makes them two again. A registrar
// may not review. Real `onecard-server serve`, real terminals, real stores.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "deployment_fixtures.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

json Child(const std::string& name, const std::string& residence,
           const std::string& birth_date = "2014-07-02") {
  return {{"name", name},
          {"sex", "F"},
          {"birth_date", birth_date},
          {"hukou_area", "321324"},
          {"residence_area", residence},
          {"guardians", json::array({{{"name", "陈国强"},
                                      {"relation", "father"},
                                      {"phone", "13812345678"},
                                      {"residence_area", "440306"}}})},
          {"consent", {{"by", "陈国强"}, {"relation", "father"}, {"date", "2026-11-01"}}}};
}

class IdentityReviewAtTerminals : public TwoProvinces {
 protected:
  IdentityReviewAtTerminals() : TwoProvinces("zhou.supervisor", "wu.supervisor") {}
  // The total of ExactCounts(args), -1 when there is none.
  int Total(std::vector<std::string> args) {
    json j = ExactCounts(std::move(args));
    return j.is_object() && j["total"].is_number() ? j["total"].get<int>() : -1;
  }
};

TEST_F(IdentityReviewAtTerminals, SupervisorsMergeAndUnmergeAtTerminalsAndTheServerCountsFollow) {
  const std::string js_id = Register(js_, Child("陈思雨", "321324"));
  // Day and month swapped as well: with the name's one character alone the pair would be linked
  // automatically (protocol/docs/identity.md), with both errors it goes to review.
  const std::string gd_id = Register(gd_, Child("陈思琪", "440306", "2014-02-07"));
  Sync(js_);
  Sync(gd_);

  // To review, not linked: two children.
  EXPECT_EQ(Total({"--area", "3213"}), 1);
  EXPECT_EQ(Total({"--area", "4403"}), 1);
  json queue = TerminalJson(gd_, {"review", "list"});
  ASSERT_EQ(queue.size(), 1u) << queue.dump();
  EXPECT_EQ(queue[0]["a"], gd_id);
  EXPECT_EQ(queue[0]["b"], js_id);
  EXPECT_FALSE(queue[0]["reasons"].empty());
  // The Jiangsu record is not otherwise held in Guangdong: the item carries what to compare.
  EXPECT_EQ(queue[0]["records"][1]["name"], "陈思雨");
  EXPECT_EQ(queue[0]["records"][1]["residence_area"], "321324");
  EXPECT_EQ(queue[0]["records"][1].size(), 6u) << queue[0]["records"][1].dump();
  RunResult text = d_.Terminal(gd_, {"review", "list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("陈思琪"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("陈思雨"), std::string::npos) << text.out;
  EXPECT_TRUE(TerminalJson(js_, {"review", "list"}).empty());  // synced before the pair existed
  Sync(js_);
  EXPECT_EQ(TerminalJson(js_, {"review", "list"}).size(), 1u);

  // A registrar is refused, and nothing is recorded.
  RunOptions as_boss;
  as_boss.env = {{"ONECARD_LANG", "en"},
                 {"ONECARD_USER", "wu.supervisor"},
                 {"ONECARD_PASSPHRASE", Deployment::kPassphrase},
                 {"ONECARD_NEW_PASSPHRASE", "li passphrase 1"}};
  ASSERT_EQ(onecard::testing::Run({BuiltProgram("onecard-terminal"), "staff", "add", "--user", "li",
                                   "--role", "registrar", "--data", gd_},
                                  as_boss)
                .exit_code,
            0);
  RunOptions as_registrar;
  as_registrar.env = {
      {"ONECARD_LANG", "en"}, {"ONECARD_USER", "li"}, {"ONECARD_PASSPHRASE", "li passphrase 1"}};
  RunResult refused = onecard::testing::Run(
      {BuiltProgram("onecard-terminal"), "review", "merge", gd_id, js_id, "--data", gd_},
      as_registrar);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("identity.review"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("supervisor"), std::string::npos) << refused.err;

  // The Guangdong supervisor merges; the decision reaches the server with the next sync.
  RunResult merged = d_.Terminal(gd_, {"review", "merge", gd_id, js_id});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.out.find("next sync"), std::string::npos) << merged.out;
  Sync(gd_);
  EXPECT_EQ(Total({"--area", "4403"}), 1);
  EXPECT_EQ(Total({"--area", "3213"}), 0);  // one child, living in Bao'an
  EXPECT_EQ(Total({"--area", "3213", "--moved-out"}), 1);
  RunResult log = d_.Server({"review", "log", "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  json decisions = json::parse(log.out);
  ASSERT_FALSE(decisions.empty());
  EXPECT_EQ(decisions.back()["kind"], "merge");
  EXPECT_EQ(decisions.back()["decided_by"], "wu.supervisor @ GD-T1");
  EXPECT_TRUE(TerminalJson(gd_, {"review", "list"}).empty());  // decided: off the queue

  Sync(js_);
  EXPECT_TRUE(TerminalJson(js_, {"review", "list"}).empty());
  RunResult shown = d_.Terminal(js_, {"show", "--child", js_id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("also registered as: " + gd_id), std::string::npos) << shown.out;
  EXPECT_EQ(TerminalJson(js_, {"show", "--child", js_id})["same_child_as"], json::array({gd_id}));

  // Unmerged at the Jiangsu terminal: two children again, and the pair waits for review.
  RunResult unmerged = d_.Terminal(js_, {"review", "unmerge", js_id, gd_id});
  ASSERT_EQ(unmerged.exit_code, 0) << unmerged.err;
  Sync(js_);
  EXPECT_EQ(Total({"--area", "3213"}), 1);
  EXPECT_EQ(Total({"--area", "4403"}), 1);
  RunResult after = d_.Terminal(js_, {"show", "--child", js_id});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out.find("also registered as"), std::string::npos) << after.out;
  EXPECT_EQ(TerminalJson(js_, {"review", "list"}).size(), 1u);
  Sync(gd_);
  EXPECT_EQ(TerminalJson(gd_, {"review", "list"}).size(), 1u);
  // Unmerging what is not merged is refused at the terminal.
  RunResult again = d_.Terminal(gd_, {"review", "unmerge", gd_id, js_id});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("not merged"), std::string::npos) << again.err;

  // Chinese by default.
  RunOptions chinese;
  chinese.env = {{"ONECARD_LANG", ""},
                 {"LANG", ""},
                 {"LC_ALL", ""},
                 {"ONECARD_USER", "wu.supervisor"},
                 {"ONECARD_PASSPHRASE", Deployment::kPassphrase}};
  RunResult zh = onecard::testing::Run(
      {BuiltProgram("onecard-terminal"), "review", "unmerge", gd_id, js_id, "--data", gd_},
      chinese);
  EXPECT_NE(zh.exit_code, 0);
  EXPECT_NE(zh.err.find("未合并"), std::string::npos) << zh.err;
}

}  // namespace
}  // namespace onecard::testing
