// Referrals across sites over the real stack (no card): `onecard-server serve` on loopback, three
// sites with their own terminals. A referral made at the receiving site to a clinic site and
// completed there shows as completed at all three sites after sync and in `referrals stats`;
// bad referrals and illegal moves are refused and write nothing; a decline's coded reason reaches
// the server and the other sites; concurrent offline changes at several terminals converge to one
// status everywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "deployment_fixtures.h"
#include "process.h"
#include "synthetic_children.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

class Referrals : public DeploymentTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    receiving_ = d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", "chen");
    clinic_ =
        d_.AddTerminal("GD-CLINIC", "南山区妇幼保健院", "440305", "receiving", "CL-T1", "zhou");
    clinic2_ =
        d_.AddTerminal("GD-CLINIC", "南山区妇幼保健院", "440305", "receiving", "CL-T2", "wu");
    sending_ = d_.AddTerminal("JS-SIHONG", "泗洪县登记点", "321324", "sending", "JS-T1", "li");
    ASSERT_TRUE(d_.StartServer()) << d_.ServerLog();
    // A child registered at the receiving site: hukou in Sihong, living in Bao'an.
    child_ = Register(receiving_, SyntheticChildRecord(3));
    ASSERT_FALSE(HasFailure());
    for (const std::string& t : {receiving_, clinic_, clinic2_, sending_}) Sync(t);
  }

  std::string Refer(const std::string& service = "health", const std::string& to = "GD-CLINIC") {
    RunResult r = d_.Terminal(receiving_, {"refer", "--child", child_, "--service", service,
                                           "--to-site", to, "--reason", "逾期未接种 DTaP 第 4 剂"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  // Moves referral `id` on at `terminal`, with `note` as its text; a decline gives `code` as its
  // --reason.
  RunResult Move(const std::string& terminal, const std::string& verb, const std::string& id,
                 const std::string& note = "", const std::string& code = "other") {
    std::vector<std::string> args = {"referral", verb, "--referral", id};
    if (verb == "decline") args.insert(args.end(), {"--reason", code});
    if (!note.empty()) args.insert(args.end(), {"--note", note});
    return d_.Terminal(terminal, args);
  }
  // referral list --json at `terminal`, by referral id.
  std::map<std::string, json> List(const std::string& terminal) {
    std::map<std::string, json> out;
    for (const json& j : TerminalJson(terminal, {"referral", "list"})) {
      out[j["referral_id"].get<std::string>()] = j;
    }
    return out;
  }
  json Stats(bool exact) {
    std::vector<std::string> args = {"referrals", "stats", "--area", "4403"};
    if (exact) args.push_back("--exact");
    return ServerJson(args);
  }

  std::string receiving_, clinic_, clinic2_, sending_, child_;
};

TEST_F(Referrals, CompletedAtTheClinicShowsAsCompletedAtAllThreeSitesAndInStats) {
  std::string id = Refer();
  EXPECT_EQ(id, "GD-T1-R1");
  EXPECT_EQ(List(receiving_).at(id)["status"], "open");
  Sync(receiving_);
  Sync(clinic_);
  json at_clinic = List(clinic_).at(id);
  EXPECT_EQ(at_clinic["status"], "open");
  EXPECT_EQ(at_clinic["from_site"], "GD-BAOAN");
  EXPECT_EQ(at_clinic["child_id"], child_);
  EXPECT_EQ(at_clinic["reason"], "逾期未接种 DTaP 第 4 剂");

  RunResult accepted = Move(clinic_, "accept", id);
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  RunResult completed = Move(clinic_, "complete", id, "已接种 DTaP 第 4 剂");
  ASSERT_EQ(completed.exit_code, 0) << completed.err;
  EXPECT_NE(completed.out.find("completed"), std::string::npos) << completed.out;
  Sync(clinic_);
  Sync(receiving_);
  Sync(sending_);

  for (const std::string& site : {receiving_, clinic_, sending_}) {
    std::map<std::string, json> list = List(site);
    ASSERT_EQ(list.count(id), 1u) << site;
    EXPECT_EQ(list.at(id)["status"], "completed") << site;
    EXPECT_EQ(list.at(id)["outcome"], "已接种 DTaP 第 4 剂") << site;
  }
  // `show` at the sending and receiving sites lists the child's referral.
  for (const std::string& site : {receiving_, sending_}) {
    RunResult shown = d_.Terminal(site, {"show", "--child", child_, "--json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    json record = json::parse(shown.out);
    ASSERT_EQ(record["referrals"].size(), 1u) << shown.out;
    EXPECT_EQ(record["referrals"][0]["status"], "completed");
    RunResult text = d_.Terminal(site, {"show", "--child", child_});
    EXPECT_NE(text.out.find(id), std::string::npos) << text.out;
  }

  json exact = Stats(true);
  EXPECT_EQ(exact["total"], 1);
  ASSERT_EQ(exact["groups"].size(), 1u);
  EXPECT_EQ(exact["groups"][0]["area"], "440306");
  EXPECT_EQ(exact["groups"][0]["service"], "health");
  EXPECT_EQ(exact["groups"][0]["count"], 1);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["completed_share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["declined_share"].get<double>(), 0.0);
  // For officials one referral is a small cell: perturbed, never shown as 1 (suppressed, or 5 and
  // more), and its shares never more exact than the perturbed counts they come from.
  json safe = Stats(false);
  EXPECT_TRUE(safe["total"].is_null() || safe["total"] >= 5) << safe;
  const json& group = safe["groups"][0];
  if (group["count"].is_null()) {
    EXPECT_EQ(group["suppressed"], true);
    EXPECT_TRUE(group["completed_share"].is_null());
  } else {
    EXPECT_GE(group["count"], 5) << group;
  }
  // Chinese by default.
  RunOptions zh;
  zh.env = {{"ONECARD_LANG", "zh"}};
  RunResult text = onecard::testing::Run({BuiltProgram("onecard-server"), "referrals", "stats",
                                          "--area", "4403", "--exact", "--data", d_.server_dir()},
                                         zh);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("完成 100%"), std::string::npos) << text.out;
}

TEST_F(Referrals, BadReferralsAndIllegalMovesAreRefusedAndWriteNothing) {
  auto refused = [&](const std::string& terminal, std::vector<std::string> args,
                     const std::string& names) {
    RunResult r = d_.Terminal(terminal, args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
  };
  refused(receiving_,
          {"refer", "--child", child_, "--service", "school", "--to-site", "GD-CLINIC", "--reason",
           "x"},
          "--service");
  refused(
      receiving_,
      {"refer", "--child", child_, "--service", "health", "--to-site", "NOWHERE", "--reason", "x"},
      "NOWHERE");
  refused(receiving_,
          {"refer", "--child", "GD-T1-999", "--service", "health", "--to-site", "GD-CLINIC",
           "--reason", "x"},
          "GD-T1-999");
  EXPECT_TRUE(List(receiving_).empty());

  std::string id = Refer();
  Sync(receiving_);
  Sync(clinic_);
  refused(receiving_, {"referral", "accept", "--referral", id}, "not addressed to this site");
  refused(sending_, {"referral", "close", "--referral", id},
          "no referral " + id);  // not synced there yet
  refused(clinic_, {"referral", "complete", "--referral", id}, "not allowed from status open");
  // A decline needs a code: its --reason is one, and free text goes to --note.
  refused(clinic_, {"referral", "decline", "--referral", id}, "--reason");
  refused(clinic_, {"referral", "decline", "--referral", id, "--reason", "不属于本机构服务范围"},
          "inappropriate");
  refused(clinic_, {"referral", "accept", "--referral", id, "--reason", "a", "--note", "b"},
          "--note");
  EXPECT_EQ(List(clinic_).at(id)["status"], "open");
  RunResult declined = Move(clinic_, "decline", id, "不属于本机构服务范围", "inappropriate");
  ASSERT_EQ(declined.exit_code, 0) << declined.err;
  refused(clinic_, {"referral", "accept", "--referral", id}, "not allowed from status declined");
  refused(clinic_, {"referral", "close", "--referral", id}, "not allowed from status declined");
  Sync(clinic_);
  Sync(receiving_);
  EXPECT_EQ(List(receiving_).at(id)["status"], "declined");
  EXPECT_EQ(List(receiving_).at(id)["outcome"], "不属于本机构服务范围");
  EXPECT_EQ(List(receiving_).at(id)["decline_reason"], "inappropriate");
  json exact = Stats(true);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["declined_share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["declined_inappropriate_share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["completed_share"].get<double>(), 0.0);
}

// Each code of a decline made at the clinic's terminal is stored by the server (its statistics
// count the inappropriate one) and reaches the referring site and the child's sending site.
TEST_F(Referrals, EachDeclineCodeReachesTheServerAndTheOtherSites) {
  const std::vector<std::string> codes = {"inappropriate", "no_capacity", "family_refused",
                                          "other"};
  std::map<std::string, std::string> code_of;
  for (const std::string& code : codes) code_of[Refer()] = code;
  Sync(receiving_);
  Sync(clinic_);
  for (const auto& [id, code] : code_of) {
    RunResult r = Move(clinic_, "decline", id, "说明：" + code, code);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  Sync(clinic_);
  for (const std::string& site : {receiving_, sending_}) {
    Sync(site);
    std::map<std::string, json> listed = List(site);
    for (const auto& [id, code] : code_of) {
      EXPECT_EQ(listed.at(id)["status"], "declined") << site;
      EXPECT_EQ(listed.at(id)["decline_reason"], code) << site;
      EXPECT_EQ(listed.at(id)["outcome"], "说明：" + code) << site;
    }
  }
  json exact = ServerJson({"referrals", "stats", "--area", "4403", "--by", "service", "--exact"});
  ASSERT_EQ(exact["groups"].size(), 1u) << exact;
  EXPECT_EQ(exact["groups"][0]["service"], "health");
  EXPECT_EQ(exact["groups"][0]["count"], 4);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["declined_share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(exact["groups"][0]["declined_inappropriate_share"].get<double>(), 0.25);
}

// Property: whatever the two clinic terminals and the referring site do offline to the same
// referrals, and whatever order they sync in, every terminal (and the server's statistics) ends
// with the same status, the one of greatest rank among the changes made.
TEST_F(Referrals, ConcurrentOfflineChangesConvergeEverywhere) {
  std::mt19937 rng(20261201);
  const std::vector<std::vector<std::string>> clinic_plans = {
      {}, {"accept"}, {"accept", "complete"}, {"decline"}, {"close"}, {"accept", "close"}};
  const std::map<std::string, int> rank = {
      {"open", 0}, {"accepted", 1}, {"declined", 2}, {"closed_unreached", 2}, {"completed", 3}};
  const std::map<std::string, std::string> status_of = {{"accept", "accepted"},
                                                        {"complete", "completed"},
                                                        {"decline", "declined"},
                                                        {"close", "closed_unreached"}};
  constexpr int kReferrals = 4;
  std::vector<std::string> ids;
  for (int i = 0; i < kReferrals; ++i) ids.push_back(Refer(i % 2 == 0 ? "health" : "protection"));
  Sync(receiving_);
  Sync(clinic_);
  Sync(clinic2_);

  std::map<std::string, int> expected_rank;
  for (const std::string& id : ids) {
    int best = 0;
    for (const std::string& clinic : {clinic_, clinic2_}) {
      for (const std::string& verb : clinic_plans[rng() % clinic_plans.size()]) {
        RunResult r = Move(clinic, verb, id, verb + " at " + clinic.substr(clinic.rfind('-') + 1),
                           verb == "decline" ? "no_capacity" : "");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        best = std::max(best, rank.at(status_of.at(verb)));
      }
    }
    if (rng() % 3 == 0) {  // the referring site gives up on it (allowed while open here)
      ASSERT_EQ(Move(receiving_, "close", id, "family moved away").exit_code, 0);
      best = std::max(best, 2);
    }
    expected_rank[id] = best;
  }
  std::vector<std::string> order = {receiving_, clinic_, clinic2_, sending_};
  std::shuffle(order.begin(), order.end(), rng);
  for (const std::string& t : order) Sync(t);
  for (const std::string& t : order) Sync(t);  // a second round brings everyone everything

  std::map<std::string, json> reference = List(receiving_);
  ASSERT_EQ(reference.size(), static_cast<size_t>(kReferrals));
  for (const std::string& t : {clinic_, clinic2_, sending_}) EXPECT_EQ(List(t), reference) << t;
  int completed = 0;
  for (const std::string& id : ids) {
    EXPECT_EQ(rank.at(reference.at(id)["status"].get<std::string>()), expected_rank[id])
        << reference.at(id).dump();
    completed += reference.at(id)["status"] == "completed" ? 1 : 0;
  }
  json exact = Stats(true);
  EXPECT_EQ(exact["total"], kReferrals);
  int stats_completed = 0;
  for (const json& g : exact["groups"]) {
    stats_completed += static_cast<int>(
        std::lround(g["completed_share"].get<double>() * g["count"].get<double>()));
  }
  EXPECT_EQ(stats_completed, completed);
}

}  // namespace
}  // namespace onecard::testing
