// The server's referrals: ingest of referral.create / referral.status, the pull scope (addressed
// to the site, made by it, of a child of its area), convergence whatever the arrival order, and
// the officials' statistics with small-cell suppression.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cell_key.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/server_store.h"
#include "record_key.h"
#include "referral_stats.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

class ServerReferralsTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);  // the tests read the English messages
    CreateStore(
        {kSihong, kBaoan, {"CL", "南山诊所", "440305", "receiving"}, kChangsha},
        {{"GD-T1", "GD"}, {"CL-T1", "CL"}, {"CL-T2", "CL"}, {"JS-T1", "JS"}, {"HN-T1", "HN"}});
  }

  // Child GD-T1-1: hukou in Sihong (JS), living in Bao'an (GD).
  static wire::Event Child(uint64_t seq) {
    json fields = {{"name", "王小明"},           {"sex", "M"},
                   {"birth_date", "2019-05-01"}, {"hukou_area", "321324"},
                   {"residence_area", "440306"}, {"category", "migrant"},
                   {"consent", Consent()}};
    return MakeEvent("GD-T1", "child.upsert", seq, (kEventMs << 16) + seq, "GD-T1-1",
                     {{"child_id", "GD-T1-1"}, {"fields", fields}});
  }
  static json CreatePayload(const std::string& id, const std::string& to = "CL",
                            const std::string& service = "health") {
    return {{"referral_id", id}, {"child_id", "GD-T1-1"}, {"service", service},
            {"from_site", "GD"}, {"to_site", to},         {"reason", "逾期未接种"}};
  }
  static wire::Event Create(uint64_t seq, const std::string& id, const std::string& to = "CL",
                            const std::string& service = "health") {
    return MakeEvent("GD-T1", "referral.create", seq, (kEventMs << 16) + seq, "GD-T1-1",
                     CreatePayload(id, to, service));
  }
  static wire::Event Change(const std::string& terminal, uint64_t seq, uint64_t hlc,
                            const std::string& id, const std::string& status) {
    return MakeEvent(
        terminal, "referral.status", seq, hlc, "GD-T1-1",
        {{"referral_id", id}, {"status", status}, {"outcome", status + " by " + terminal}});
  }
  // The referrals a site pulls from the start, by id -> status.
  std::map<std::string, std::string> PulledBy(const std::string& site, const std::string& area) {
    std::map<std::string, std::string> out;
    auto page = store_->Pull(PullScope{site, area}, 0, 500);
    EXPECT_TRUE(page.ok());
    for (const auto& r : page->referrals()) out[r.referral_id()] = r.status();
    return out;
  }
};

TEST_F(ServerReferralsTest, ReferralReachesTargetReferringAndChildSitesOnly) {
  ASSERT_EQ(*store_->Ingest("GD-T1", {Child(1), Create(2, "GD-T1-R1")}), 2u);
  ASSERT_EQ(*store_->Ingest("GD-T1", {Create(2, "GD-T1-R1")}),
            2u);  // a resend stores nothing twice
  EXPECT_EQ(CountRows("referrals"), 1);
  std::map<std::string, std::string> open = {{"GD-T1-R1", "open"}};
  EXPECT_EQ(PulledBy("CL", "440305"), open);  // addressed to it
  EXPECT_EQ(PulledBy("GD", "440306"), open);  // made by it (and the child lives there)
  EXPECT_EQ(PulledBy("JS", "321324"), open);  // the child's hukou area
  EXPECT_TRUE(PulledBy("HN", "430102").empty());

  ASSERT_EQ(*store_->Ingest("CL-T1",
                            {Change("CL-T1", 1, (kEventMs + 10) << 16, "GD-T1-R1", "accepted"),
                             Change("CL-T1", 2, (kEventMs + 20) << 16, "GD-T1-R1", "completed")}),
            2u);
  std::map<std::string, std::string> done = {{"GD-T1-R1", "completed"}};
  EXPECT_EQ(PulledBy("CL", "440305"), done);
  EXPECT_EQ(PulledBy("JS", "321324"), done);
  auto page = store_->Pull(PullScope{"GD", "440306"}, 0, 500);
  ASSERT_EQ(page->referrals_size(), 1);
  const wire::ReferralSnapshot& r = page->referrals(0);
  EXPECT_EQ(r.outcome(), "completed by CL-T1");
  EXPECT_EQ(r.status_terminal(), "CL-T1");
  EXPECT_EQ(r.status_seq(), 2u);
  EXPECT_EQ(r.reason(), "逾期未接种");
  EXPECT_EQ(r.created_hlc(), (kEventMs << 16) + 2);
}

TEST_F(ServerReferralsTest, ReferralChangesShareTheCursorWithChildrenAndSites) {
  ASSERT_TRUE(store_->Ingest("GD-T1", {Child(1), Create(2, "GD-T1-R1")}).ok());
  auto first = store_->Pull(PullScope{"CL", "440305"}, 0, 500);
  ASSERT_EQ(first->referrals_size(), 1);
  EXPECT_EQ(first->sites_size(), 4);
  ASSERT_TRUE(
      store_->Ingest("CL-T1", {Change("CL-T1", 1, (kEventMs + 10) << 16, "GD-T1-R1", "declined")})
          .ok());
  // From its cursor the clinic gets the change once, then nothing.
  auto second = store_->Pull(PullScope{"CL", "440305"}, first->next_cursor(), 1);
  ASSERT_EQ(second->referrals_size(), 1);
  EXPECT_EQ(second->referrals(0).status(), "declined");
  EXPECT_FALSE(second->more());
  auto third = store_->Pull(PullScope{"CL", "440305"}, second->next_cursor(), 1);
  EXPECT_EQ(third->referrals_size(), 0);
  EXPECT_EQ(third->next_cursor(), second->next_cursor());
}

TEST_F(ServerReferralsTest, ConcurrentChangesConvergeWhateverTheArrivalOrder) {
  // Two clinic terminals offline: one accepts then completes, the other declines in between.
  std::vector<std::pair<std::string, wire::Event>> changes = {
      {"CL-T1", Change("CL-T1", 1, (kEventMs + 10) << 16, "GD-T1-R1", "accepted")},
      {"CL-T2", Change("CL-T2", 1, (kEventMs + 15) << 16, "GD-T1-R1", "declined")},
      {"CL-T1", Change("CL-T1", 2, (kEventMs + 20) << 16, "GD-T1-R1", "completed")},
      {"GD-T1", Change("GD-T1", 3, (kEventMs + 12) << 16, "GD-T1-R1", "closed_unreached")},
  };
  std::vector<size_t> order = {0, 1, 2, 3};
  std::optional<std::string> first;
  int runs = 0;
  do {
    TearDown();
    SetUp();
    ASSERT_TRUE(store_->Ingest("GD-T1", {Child(1), Create(2, "GD-T1-R1")}).ok());
    for (size_t i : order) {
      auto acked = store_->Ingest(changes[i].first, {changes[i].second});
      ASSERT_TRUE(acked.ok()) << acked.status().message();
    }
    auto page = store_->Pull(PullScope{"CL", "440305"}, 0, 500);
    ASSERT_EQ(page->referrals_size(), 1);
    std::string result = page->referrals(0).status() + "/" + page->referrals(0).outcome();
    if (!first) first = result;
    EXPECT_EQ(result, *first);
    ++runs;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(runs, 24);
  EXPECT_EQ(*first, "completed/completed by CL-T1");
}

struct BadReferralCase {
  const char* name;
  std::string terminal;
  wire::Event event;
  const char* message;  // part of the error
};

TEST_F(ServerReferralsTest, BadReferralEventsStoreNothingOfTheBatch) {
  ASSERT_TRUE(store_->Ingest("GD-T1", {Child(1), Create(2, "GD-T1-R1")}).ok());
  json wrong_from = CreatePayload("GD-T1-R2");
  wrong_from["from_site"] = "CL";
  const BadReferralCase cases[] = {
      {"UnknownSite", "GD-T1", Create(3, "GD-T1-R2", "NOWHERE"), "unknown site NOWHERE"},
      {"BadService", "GD-T1", Create(3, "GD-T1-R2", "CL", "school"), "service"},
      {"NotItsSite", "GD-T1",
       MakeEvent("GD-T1", "referral.create", 3, kEventMs << 16, "GD-T1-1", wrong_from),
       "from_site"},
      {"ForeignId", "GD-T1", Create(3, "CL-T1-R9"), "not minted"},
      {"ReusedId", "GD-T1", Create(3, "GD-T1-R1"), "existing referral id"},
      {"UnknownReferral", "CL-T1", Change("CL-T1", 1, kEventMs << 16, "GD-T1-R7", "accepted"),
       "unknown at the server"},
      {"NotAddressed", "JS-T1", Change("JS-T1", 1, kEventMs << 16, "GD-T1-R1", "accepted"),
       "not addressed"},
      {"OpenIsNoChange", "CL-T1", Change("CL-T1", 1, kEventMs << 16, "GD-T1-R1", "open"), "status"},
  };
  for (const BadReferralCase& c : cases) {
    auto acked = store_->Ingest(c.terminal, {c.event});
    ASSERT_FALSE(acked.ok()) << c.name;
    EXPECT_EQ(acked.status().code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(acked.status().message().find(c.message), std::string::npos)
        << c.name << ": " << acked.status().message();
  }
  EXPECT_EQ(CountRows("events"), 2);
  EXPECT_EQ(CountRows("referrals"), 1);
  EXPECT_EQ(PulledBy("CL", "440305"), (std::map<std::string, std::string>{{"GD-T1-R1", "open"}}));
}

TEST_F(ServerReferralsTest, StatsGiveSharesPerAreaAndServiceAndPerturbTheirCounts) {
  std::vector<wire::Event> events = {Child(1)};
  uint64_t seq = 2;
  for (int i = 1; i <= 6; ++i) events.push_back(Create(seq++, "GD-T1-R" + std::to_string(i)));
  events.push_back(Create(seq++, "GD-T1-R7", "CL", "education"));
  ASSERT_TRUE(store_->Ingest("GD-T1", events).ok());
  std::vector<wire::Event> clinic;
  auto clinic_change = [&clinic](const std::string& id, const std::string& status) {
    uint64_t n = clinic.size() + 1;
    clinic.push_back(Change("CL-T1", n, (kEventMs + 100 + n) << 16, id, status));
  };
  for (int i = 1; i <= 3; ++i) {
    clinic_change("GD-T1-R" + std::to_string(i), "accepted");
    clinic_change("GD-T1-R" + std::to_string(i), "completed");
  }
  clinic_change("GD-T1-R4", "declined");
  ASSERT_TRUE(store_->Ingest("CL-T1", clinic).ok());

  const SecretBytes secret(Bytes(kCellKeySecretSize, 0x5a));
  auto exact = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
    return ComputeReferralStats(db, {"4403", true, "admin"}, secret);
  });
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  EXPECT_EQ(exact->total, 7);
  ASSERT_EQ(exact->groups.size(), 2u);
  const ReferralStatsGroup& health = exact->groups[1];
  EXPECT_EQ(health.area, "440306");
  EXPECT_EQ(health.service, "health");
  EXPECT_EQ(health.count, 6);
  EXPECT_DOUBLE_EQ(health.completed_share.value_or(-1), 0.5);
  EXPECT_DOUBLE_EQ(health.declined_share.value_or(-1), 0.167);

  // Without --exact each count is perturbed by the cell key of its referrals (each referral's key
  // from its id), and the shares are of perturbed counts: a part under 5 is not shown.
  auto safe = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
    return ComputeReferralStats(db, {"4403", false, ""}, secret);
  });
  ASSERT_TRUE(safe.ok());
  ASSERT_EQ(safe->groups.size(), 2u);
  const auto keyed = [&secret](std::initializer_list<int> referrals) {
    KeyedCount cell;
    for (int r : referrals)
      cell.Add({1, RecordKey(secret, "referral/GD-T1-R" + std::to_string(r))});
    return cell;
  };
  EXPECT_EQ(safe->groups[0].count, PublishCount(keyed({7})));
  EXPECT_NE(safe->groups[0].count, 1);
  const std::optional<int64_t> health_count = PublishCount(keyed({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(safe->groups[1].count, health_count);
  // Each share is its part published like any count over the published group; none when either
  // is suppressed.
  const auto share = [&](std::initializer_list<int> part) -> std::optional<double> {
    const std::optional<int64_t> published = PublishCount(keyed(part));
    if (!health_count || !published) return std::nullopt;
    return std::min(1.0, std::round(1000.0 * static_cast<double>(*published) /
                                    static_cast<double>(*health_count)) /
                             1000.0);
  };
  EXPECT_EQ(safe->groups[1].completed_share, share({1, 2, 3}));
  EXPECT_EQ(safe->groups[1].declined_share, share({4}));
  EXPECT_NE(safe->groups[1].declined_share, std::optional<double>(0.167)) << "1 of 6, exactly";
  EXPECT_EQ(safe->total, PublishCount(keyed({1, 2, 3, 4, 5, 6, 7})));
  // Another area sees nothing; a bad prefix is refused.
  auto other = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
    return ComputeReferralStats(db, {"32", true, "admin"}, secret);
  });
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->total, 0);
  auto bad = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
    return ComputeReferralStats(db, {"44a", true, "admin"}, secret);
  });
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace onecard::server
