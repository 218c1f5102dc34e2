#include "onecard/protocol/referral.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

using nlohmann::json;

Referral Open() {
  Referral r;
  r.referral_id = "GD-T1-R1";
  r.child_id = "GD-T1-1";
  r.service = "health";
  r.from_site = "GD-BAOAN";
  r.to_site = "GD-CLINIC";
  r.reason = "逾期未接种 DTaP";
  r.status_stamp = Stamp{100, "GD-T1", 2};
  r.created_hlc = 100;
  return r;
}

// Every pair of statuses: only these five transitions are allowed, every other is refused and
// names the status it starts from.
TEST(ReferralTest, StatusMachineTable) {
  using S = ReferralStatus;
  const std::set<std::pair<S, S>> allowed = {{S::kOpen, S::kAccepted},
                                             {S::kOpen, S::kDeclined},
                                             {S::kOpen, S::kClosedUnreached},
                                             {S::kAccepted, S::kCompleted},
                                             {S::kAccepted, S::kClosedUnreached}};
  const S all[] = {S::kOpen, S::kAccepted, S::kDeclined, S::kCompleted, S::kClosedUnreached};
  for (S from : all) {
    for (S to : all) {
      SCOPED_TRACE(std::string(ReferralStatusName(from)) + " -> " +
                   std::string(ReferralStatusName(to)));
      Referral r = Open();
      r.status = from;
      Status s = CheckReferralTransition(r, "GD-CLINIC", to);
      const bool expected = allowed.count({from, to}) > 0;
      EXPECT_EQ(s.ok(), expected);
      if (!expected && to != S::kOpen) {  // reopening is refused earlier: no site may do it
        EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
        EXPECT_NE(s.message().find(std::string(ReferralStatusName(from))), std::string::npos)
            << s.message();
      }
    }
  }
}

TEST(ReferralTest, OnlyTheTargetSiteAcceptsButTheReferringSiteMayClose) {
  Referral r = Open();
  SetLanguage(Language::kZh);
  EXPECT_NE(CheckReferralTransition(r, "GD-BAOAN", ReferralStatus::kAccepted)
                .message()
                .find("不是转给本站点"),
            std::string::npos);
  SetLanguage(Language::kEn);
  EXPECT_NE(CheckReferralTransition(r, "GD-BAOAN", ReferralStatus::kAccepted)
                .message()
                .find("not addressed to this site"),
            std::string::npos);
  EXPECT_EQ(CheckReferralTransition(r, "GD-BAOAN", ReferralStatus::kAccepted).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(CheckReferralTransition(r, "JS-SIHONG", ReferralStatus::kClosedUnreached).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(CheckReferralTransition(r, "GD-BAOAN", ReferralStatus::kClosedUnreached).ok());
  EXPECT_TRUE(CheckReferralTransition(r, "GD-CLINIC", ReferralStatus::kAccepted).ok());
}

TEST(ReferralTest, CreatePayloadRoundTripsAndBadFieldsAreNamed) {
  Referral r = Open();
  auto back = ReferralFromCreatePayload(ReferralCreatePayload(r), r.status_stamp);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), r.ToJson());
  EXPECT_EQ(back->ToJson()["status"], "open");

  for (const char* field :
       {"referral_id", "child_id", "service", "from_site", "to_site", "reason"}) {
    json bad = ReferralCreatePayload(r);
    bad[field] = std::string(field) == "service" ? json("school") : json("");
    auto parsed = ReferralFromCreatePayload(bad, r.status_stamp);
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(field), std::string::npos)
        << parsed.status().message();
  }
  json too_long = ReferralCreatePayload(r);
  too_long["reason"] = std::string(501, 'x');
  EXPECT_FALSE(ReferralFromCreatePayload(too_long, r.status_stamp).ok());
  json bad_utf8 = ReferralCreatePayload(r);
  bad_utf8["reason"] = std::string("\xC3\x28");
  EXPECT_FALSE(ReferralFromCreatePayload(bad_utf8, r.status_stamp).ok());
}

TEST(ReferralTest, StatusPayloadRefusesOpenAndUnknownStatuses) {
  auto ok = ReferralStatusFromPayload(
      ReferralStatusPayload({"GD-T1-R1", ReferralStatus::kDeclined, "不适当"}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, ReferralStatus::kDeclined);
  EXPECT_EQ(ok->outcome, "不适当");
  EXPECT_FALSE(ReferralStatusFromPayload({{"referral_id", "GD-T1-R1"}, {"status", "open"}}).ok());
  EXPECT_FALSE(ReferralStatusFromPayload({{"referral_id", "GD-T1-R1"}, {"status", "done"}}).ok());
  EXPECT_FALSE(ReferralStatusFromPayload({{"status", "accepted"}}).ok());
  EXPECT_FALSE(ReferralStatusFromPayload(json::array()).ok());
}

// A decline carries one of the four codes; an older terminal's decline without one is "other";
// an unknown code, or a code with another status, is refused naming decline_reason.
TEST(ReferralTest, DeclineReasonIsCodedAndItsAbsenceIsOther) {
  for (const DeclineReasonEntry& e : kDeclineReasons) {
    auto back = ReferralStatusFromPayload(
        ReferralStatusPayload({"GD-T1-R1", ReferralStatus::kDeclined, "", std::string(e.code)}));
    ASSERT_TRUE(back.ok()) << e.code;
    EXPECT_EQ(back->decline_reason, e.code);
  }
  auto older = ReferralStatusFromPayload(
      {{"referral_id", "GD-T1-R1"}, {"status", "declined"}, {"outcome", "床位已满"}});
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->decline_reason, "other");
  EXPECT_EQ(older->outcome, "床位已满");
  auto accepted = ReferralStatusFromPayload({{"referral_id", "GD-T1-R1"}, {"status", "accepted"}});
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->decline_reason, "");
  EXPECT_FALSE(ReferralStatusPayload(*accepted).contains("decline_reason"));

  const json bad[] = {
      {{"referral_id", "GD-T1-R1"}, {"status", "declined"}, {"decline_reason", "too_busy"}},
      {{"referral_id", "GD-T1-R1"}, {"status", "declined"}, {"decline_reason", 3}},
      {{"referral_id", "GD-T1-R1"}, {"status", "completed"}, {"decline_reason", "other"}}};
  for (const json& payload : bad) {
    auto parsed = ReferralStatusFromPayload(payload);
    ASSERT_FALSE(parsed.ok()) << payload.dump();
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("decline_reason"), std::string::npos)
        << parsed.status().message();
  }
  SetLanguage(Language::kZh);
  EXPECT_NE(DeclineReasonList().find("family_refused（家庭拒绝）"), std::string::npos);
  SetLanguage(Language::kEn);
  EXPECT_NE(DeclineReasonList().find("inappropriate (referral not appropriate)"),
            std::string::npos);
}

// The code travels with the winning decline and leaves with it.
TEST(ReferralTest, MergeCarriesTheDeclineReason) {
  Referral replica = Open();
  Referral declined = Open();
  declined.status = ReferralStatus::kDeclined;
  declined.decline_reason = "no_capacity";
  declined.status_stamp = Stamp{200, "GD-CL1", 1};
  ASSERT_TRUE(MergeReferral(replica, declined));
  EXPECT_EQ(replica.ToJson()["decline_reason"], "no_capacity");
  Referral completed = Open();
  completed.status = ReferralStatus::kCompleted;
  completed.status_stamp = Stamp{150, "GD-CL2", 1};
  ASSERT_TRUE(MergeReferral(replica, completed));
  EXPECT_EQ(replica.ToJson()["decline_reason"], "");
}

// Concurrent status changes reach replicas in every order: all replicas end the same, and a
// recorded completion outranks a concurrent decline or close.
TEST(ReferralTest, ConcurrentChangesConvergeInAnyOrder) {
  std::vector<Referral> versions;
  auto version = [&](ReferralStatus s, uint64_t hlc, const char* terminal, uint64_t seq) {
    Referral v = Open();
    v.status = s;
    v.outcome = std::string(ReferralStatusName(s)) + "@" + terminal;
    v.status_stamp = Stamp{hlc, terminal, seq};
    versions.push_back(v);
  };
  version(ReferralStatus::kAccepted, 200, "CL-T1", 1);
  version(ReferralStatus::kDeclined, 210, "CL-T2", 1);
  version(ReferralStatus::kClosedUnreached, 205, "GD-T1", 3);
  version(ReferralStatus::kCompleted, 300, "CL-T1", 2);
  std::mt19937 rng(7);
  std::optional<json> first;
  for (int round = 0; round < 500; ++round) {
    std::shuffle(versions.begin(), versions.end(), rng);
    size_t n = 1 + rng() % versions.size();
    Referral replica = Open();
    for (size_t i = 0; i < versions.size(); ++i) {
      MergeReferral(replica, versions[i]);
      MergeReferral(replica, versions[i % n]);  // replays change nothing
    }
    json result = replica.ToJson();
    if (!first) first = result;
    EXPECT_EQ(result, *first);
  }
  EXPECT_EQ((*first)["status"], "completed");
  EXPECT_EQ((*first)["outcome"], "completed@CL-T1");

  // Without the completion: decline and close share a rank, and the later stamp wins.
  Referral a = Open(), b = Open();
  MergeReferral(a, versions[0]);
  for (const auto& v : versions) {
    if (v.status != ReferralStatus::kCompleted) {
      MergeReferral(b, v);
    }
  }
  EXPECT_EQ(b.status, ReferralStatus::kDeclined);
}

}  // namespace
}  // namespace onecard
