// Issue 6 acceptance, without a card: a child registered at a Jiangsu sending site and again at a
// Guangdong receiving site, by different staff, with a one-character typo in the name (王小明 /
// 王晓明, no ID number at the receiving site) is, after both sync, one child counted once: present
// in Guangdong, moved out of Jiangsu; both registrations and their events are kept. A pair whose
// names differ in a character of unrelated sound and whose birth dates differ too waits for
// review; `review merge` counts it once, `review unmerge` restores two. Real
// `onecard-server serve`, real terminals, real stores.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "deployment_fixtures.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

json Child(const std::string& name, const std::string& birth, const std::string& residence,
           const std::string& father) {
  return {{"name", name},
          {"sex", "M"},
          {"birth_date", birth},
          {"hukou_area", "321324"},
          {"residence_area", residence},
          {"guardians", json::array({{{"name", father},
                                      {"relation", "father"},
                                      {"phone", "13812345678"},
                                      {"residence_area", "440306"}}})},
          {"consent", {{"by", father}, {"relation", "father"}, {"date", "2026-11-01"}}}};
}

class IdentityAcrossSites : public TwoProvinces {
 protected:
  IdentityAcrossSites() : TwoProvinces("li.registrar", "chen.registrar") {}
  void SyncBoth() {
    ASSERT_NO_FATAL_FAILURE(Sync(js_));
    Sync(gd_);
  }
};

TEST_F(IdentityAcrossSites, TypoRegistrationsAtSendingAndReceivingSitesAreOneChildCountedOnce) {
  json at_js = Child("王小明", "2016-03-15", "321324", "王建国");
  at_js["id_number"] = MakeIdNumber("321324", CivilDate{2016, 3, 15}, 123);
  std::string js_id = Register(js_, at_js);
  ASSERT_EQ(js_id, "JS-T1-1");
  // Registered later at the receiving site, where the family lives now: this record is the current
  // one.
  std::string gd_id = Register(gd_, Child("王晓明", "2016-03-15", "440306", "王建国"));
  ASSERT_EQ(gd_id, "GD-T1-1");
  SyncBoth();

  EXPECT_EQ(ExactCounts({"--area", "4403"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213", "--moved-out"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213"})["total"], 0);
  json by_province = ExactCounts({"--area", "32", "--moved-out", "--by", "residence_area:4"});
  ASSERT_EQ(by_province["groups"].size(), 1u);
  EXPECT_EQ(by_province["groups"][0]["residence_area:4"], "4403");  // moved out, now in Shenzhen

  // The link was automatic, logged with its score and reasons; nothing waits for review.
  json log = ServerJson({"review", "log"});
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["kind"], "auto_link");
  EXPECT_EQ(log[0]["a"], gd_id);
  EXPECT_EQ(log[0]["b"], js_id);
  EXPECT_EQ(log[0]["decided_by"], "resolver");
  EXPECT_GE(log[0]["score"].get<double>(), 14);
  EXPECT_TRUE(ServerJson({"review", "list"}).empty());

  // Both registrations are kept, with their events: the history of the one child shows both and
  // the move from Sihong to Bao'an.
  json history = ServerJson({"history", "--child", js_id});
  EXPECT_EQ(history["person_id"], gd_id);
  EXPECT_EQ(history["records"], json::array({gd_id, js_id}));
  EXPECT_EQ(history["current_record"], gd_id);
  EXPECT_EQ(history["residence_area"], "440306");
  EXPECT_EQ(history["moved_out"], true);
  ASSERT_EQ(history["residences"].size(), 2u);
  EXPECT_EQ(history["residences"][0]["child_id"], js_id);
  EXPECT_EQ(history["residences"][0]["terminal_id"], "JS-T1");
  EXPECT_EQ(history["residences"][1]["child_id"], gd_id);
  EXPECT_EQ(history["residences"][1]["terminal_id"], "GD-T1");
  ASSERT_EQ(history["moves"].size(), 1u);
  EXPECT_EQ(history["moves"][0]["from"], "321324");
  EXPECT_EQ(history["moves"][0]["to"], "440306");
  RunResult text = d_.Server({"history", "--child", gd_id});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("moved out, now in 440306"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("moved in from 321324"), std::string::npos) << text.out;

  // The sending site still has its own record and sees the receiving site's (the child's hukou is
  // there): the server kept both.
  ASSERT_EQ(d_.Terminal(js_, {"sync"}).exit_code, 0);
  RunResult own = d_.Terminal(js_, {"show", "--child", js_id, "--json"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_EQ(json::parse(own.out)["name"], "王小明");
  RunResult other = d_.Terminal(js_, {"show", "--child", gd_id, "--json"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(json::parse(other.out)["name"], "王晓明");
}

TEST_F(IdentityAcrossSites, DoubtfulPairIsReviewedMergedCountedOnceAndUnmergedBackToTwo) {
  // 思雨 / 思琪: one character of unrelated sound, as twins' names differ, and the day and month
  // swapped: two errors at once (a twin or sibling with a typo looks the same) are never linked
  // automatically, but the father agrees, so a supervisor decides.
  std::string js_id = Register(js_, Child("陈思雨", "2014-07-02", "321324", "陈国强"));
  std::string gd_id = Register(gd_, Child("陈思琪", "2014-02-07", "440306", "陈国强"));
  SyncBoth();

  // Two children as yet: one living in Sihong, one from Sihong living in Bao'an.
  EXPECT_EQ(ExactCounts({"--area", "4403"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213", "--moved-out"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "32"})["total"].get<int>() +
                ExactCounts({"--area", "44"})["total"].get<int>(),
            2);
  json queue = ServerJson({"review", "list"});
  ASSERT_EQ(queue.size(), 1u) << queue.dump();
  EXPECT_EQ(queue[0]["a"], gd_id);
  EXPECT_EQ(queue[0]["b"], js_id);
  EXPECT_FALSE(queue[0]["reasons"].empty());
  EXPECT_EQ(queue[0]["records"][1]["name"], "陈思雨");

  // Bad requests are refused with a message naming the problem, and change nothing.
  RunResult unknown = d_.Server({"review", "merge", gd_id, "JS-T1-99"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("JS-T1-99"), std::string::npos) << unknown.err;
  RunResult not_merged = d_.Server({"review", "unmerge", gd_id, js_id});
  EXPECT_NE(not_merged.exit_code, 0);
  EXPECT_NE(not_merged.err.find("not merged"), std::string::npos) << not_merged.err;
  RunResult self = d_.Server({"review", "merge", gd_id, gd_id});
  EXPECT_NE(self.exit_code, 0);
  EXPECT_TRUE(ServerJson({"review", "log"}).empty());

  RunResult merged = d_.Server({"review", "merge", js_id, gd_id, "--user", "zhou.supervisor"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  // One child, living in Bao'an (the more recent record), moved out of Sihong.
  EXPECT_EQ(ExactCounts({"--area", "4403"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213"})["total"], 0);
  EXPECT_EQ(ExactCounts({"--area", "3213", "--moved-out"})["total"], 1);
  EXPECT_TRUE(ServerJson({"review", "list"}).empty());
  RunResult again = d_.Server({"review", "merge", gd_id, js_id});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("already one child"), std::string::npos) << again.err;

  RunResult unmerged = d_.Server({"review", "unmerge", gd_id, js_id, "--user", "zhou.supervisor"});
  ASSERT_EQ(unmerged.exit_code, 0) << unmerged.err;
  EXPECT_EQ(ExactCounts({"--area", "4403"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213"})["total"], 1);
  EXPECT_EQ(ExactCounts({"--area", "3213", "--moved-out"})["total"], 1);
  EXPECT_EQ(ServerJson({"review", "list"}).size(), 1u);  // undecided again

  // `separate` takes the pair off the queue for good; the log keeps every decision, in order.
  ASSERT_EQ(d_.Server({"review", "separate", gd_id, js_id, "--user", "zhou.supervisor"}).exit_code,
            0);
  EXPECT_TRUE(ServerJson({"review", "list"}).empty());
  json log = ServerJson({"review", "log"});
  ASSERT_EQ(log.size(), 3u) << log.dump();
  EXPECT_EQ(log[0]["kind"], "merge");
  EXPECT_EQ(log[1]["kind"], "unmerge");
  EXPECT_EQ(log[2]["kind"], "separate");
  EXPECT_EQ(log[0]["decided_by"], "zhou.supervisor");

  // Chinese by default.
  RunOptions chinese;
  chinese.env = {{"ONECARD_LANG", ""}, {"LANG", ""}, {"LC_ALL", ""}};
  RunResult zh = onecard::testing::Run(
      {BuiltProgram("onecard-server"), "review", "merge", gd_id, gd_id, "--data", d_.server_dir()},
      chinese);
  EXPECT_NE(zh.exit_code, 0);
  EXPECT_NE(zh.err.find("两个儿童编号相同"), std::string::npos) << zh.err;
}

}  // namespace
}  // namespace onecard::testing
