// The server's referrals: ingest of referral.create / referral.status, the pull scope (addressed
// to the site, made by it, of a child of its area), convergence whatever the arrival order, and
// the coded decline reasons, and the officials' statistics with cell key perturbation.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cell_key.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/protocol/timestamp.h"
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

  // Child GD-T1-1 (or GD-T1-<n>): hukou in Sihong (JS), living in Bao'an (GD).
  static wire::Event Child(uint64_t seq, int n = 1, const std::string& sex = "M") {
    json fields = {{"name", "王小明"},           {"sex", sex},
                   {"birth_date", "2019-05-01"}, {"hukou_area", "321324"},
                   {"residence_area", "440306"}, {"category", "migrant"},
                   {"consent", Consent()}};
    const std::string id = "GD-T1-" + std::to_string(n);
    return MakeEvent("GD-T1", "child.upsert", seq, (kEventMs << 16) + seq, id,
                     {{"child_id", id}, {"fields", fields}});
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
                            const std::string& id, const std::string& status,
                            const std::string& decline_reason = "") {
    json payload = {
        {"referral_id", id}, {"status", status}, {"outcome", status + " by " + terminal}};
    if (!decline_reason.empty()) payload["decline_reason"] = decline_reason;
    return MakeEvent(terminal, "referral.status", seq, hlc, "GD-T1-1", payload);
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
  EXPECT_EQ(health.values, (std::vector<std::string>{"440306", "health"}));
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

// Each code of a decline reaches the server in either form of the event, is stored in its column
// and pulled with the referral; an older terminal's decline without one is "other"; a bad code
// is refused naming decline_reason, and nothing of it is stored.
TEST_F(ServerReferralsTest, DeclineReasonsAreStoredPulledAndChecked) {
  std::vector<wire::Event> created = {Child(1)};
  for (uint64_t i = 1; i <= 6; ++i) created.push_back(Create(i + 1, "GD-T1-R" + std::to_string(i)));
  ASSERT_TRUE(store_->Ingest("GD-T1", created).ok());
  std::vector<wire::Event> declines;
  uint64_t seq = 0;
  const auto decline = [&](int referral, const std::string& code, bool typed) {
    ++seq;
    wire::Event e = Change("CL-T1", seq, (kEventMs + 10 + seq) << 16,
                           "GD-T1-R" + std::to_string(referral), "declined", code);
    if (typed) {
      ASSERT_TRUE(ToTyped(e).ok());
    }
    declines.push_back(e);
  };
  decline(1, "inappropriate", false);
  decline(2, "no_capacity", true);
  decline(3, "family_refused", false);
  decline(4, "other", true);
  decline(5, "", false);  // a terminal older than the codes
  ASSERT_EQ(*store_->Ingest("CL-T1", declines), declines.size());
  const std::map<std::string, std::string> expected = {
      {"GD-T1-R1", "inappropriate"}, {"GD-T1-R2", "no_capacity"}, {"GD-T1-R3", "family_refused"},
      {"GD-T1-R4", "other"},         {"GD-T1-R5", "other"},       {"GD-T1-R6", ""}};
  auto page = store_->Pull(PullScope{"GD", "440306"}, 0, 500);
  ASSERT_TRUE(page.ok());
  std::map<std::string, std::string> pulled;
  for (const auto& r : page->referrals()) pulled[r.referral_id()] = r.decline_reason();
  EXPECT_EQ(pulled, expected);
  auto stored = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    return db.Prepare(
        "SELECT referral_id || '=' || decline_reason FROM referrals "
        "ORDER BY referral_id");
  });
  ASSERT_TRUE(stored.ok());
  auto rows = stored->FirstColumnTexts();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (std::vector<std::string>{"GD-T1-R1=inappropriate", "GD-T1-R2=no_capacity",
                                             "GD-T1-R3=family_refused", "GD-T1-R4=other",
                                             "GD-T1-R5=other", "GD-T1-R6="}));

  for (bool typed : {false, true}) {
    wire::Event bad =
        Change("CL-T1", seq + 1, (kEventMs + 50) << 16, "GD-T1-R6", "declined", "too_busy");
    if (typed) {
      bad.clear_type();
      bad.clear_payload();
      wire::ReferralStatusChange* body = bad.mutable_referral_status();
      body->set_referral_id("GD-T1-R6");
      body->set_status("declined");
      body->set_decline_reason("too_busy");
    }
    auto refused = store_->Ingest("CL-T1", {bad});
    ASSERT_FALSE(refused.ok()) << typed;
    EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("decline_reason"), std::string::npos)
        << refused.status().message();
  }
  EXPECT_EQ(PulledBy("CL", "440305").at("GD-T1-R6"), "open");
}

// Referrals of two children (a boy and a girl) in two months with every outcome: the exact
// figures by service, sex and month, the creation dates asked, and "as of" the newest referral
// event the answer counts, by the server's clock when it received it.
class ReferralOutcomesTest : public ServerReferralsTest {
 protected:
  // August and September 2026 (kEventMs is 2026-09-21), in China's calendar.
  static constexpr uint64_t kAugustMs = kEventMs - 40ull * 86'400'000;

  void SetUp() override {
    ServerReferralsTest::SetUp();
    store_.reset();
    auto reopened = ServerStore::Open(dir_, clock_);
    ASSERT_TRUE(reopened.ok()) << reopened.status().message();
    store_ = std::move(reopened).value();
    // The boy GD-T1-1 and the girl GD-T1-2; then five referrals from Bao'an to the clinic.
    ASSERT_TRUE(store_->Ingest("GD-T1", {Child(1, 1, "M"), Child(2, 2, "F")}).ok());
    Refer(3, 1, 1, "health", kAugustMs);
    Refer(4, 2, 1, "health", kEventMs);
    Refer(5, 3, 2, "education", kEventMs);
    Refer(6, 4, 2, "health", kEventMs);
    Refer(7, 5, 2, "health", kAugustMs);
    Move(1, 1, 1, "accepted", "");
    Move(2, 1, 1, "completed", "");
    Move(3, 2, 1, "declined", "inappropriate");
    Move(4, 3, 2, "declined", "no_capacity");
    received_last_ = Move(5, 4, 2, "closed_unreached", "");
  }

  // Referral GD-T1-R<n> of child GD-T1-<child>, created at `ms`, received one minute later.
  void Refer(uint64_t seq, int n, int child, const std::string& service, uint64_t ms) {
    const std::string child_id = "GD-T1-" + std::to_string(child);
    json payload = {{"referral_id", "GD-T1-R" + std::to_string(n)},
                    {"child_id", child_id},
                    {"service", service},
                    {"from_site", "GD"},
                    {"to_site", "CL"},
                    {"reason", "转介"}};
    clock_.Advance(std::chrono::minutes(1));
    auto acked = store_->Ingest(
        "GD-T1", {MakeEvent("GD-T1", "referral.create", seq, (ms << 16) + seq, child_id, payload)});
    ASSERT_TRUE(acked.ok()) << acked.status().message();
  }

  // The clinic moves referral n (of `child`) on, one minute later; returns when it was received.
  std::string Move(uint64_t seq, int n, int child, const std::string& status,
                   const std::string& decline_reason) {
    json payload = {{"referral_id", "GD-T1-R" + std::to_string(n)}, {"status", status}};
    if (!decline_reason.empty()) payload["decline_reason"] = decline_reason;
    clock_.Advance(std::chrono::minutes(1));
    auto acked = store_->Ingest(
        "CL-T1", {MakeEvent("CL-T1", "referral.status", seq, ((kEventMs + 1000) << 16) + seq,
                            "GD-T1-" + std::to_string(child), payload)});
    EXPECT_TRUE(acked.ok()) << acked.status().message();
    return UtcNowIso8601(clock_);
  }

  Result<ReferralStatsReport> Exact(std::vector<std::string> by, std::string from = "",
                                    std::string to = "") {
    ReferralStatsQuery q{"4403", true, "admin", std::move(by), std::move(from), std::move(to)};
    return static_cast<ReportStore&>(*store_).ReferralStats(q);
  }

  // "values: count completed/declined/inappropriate/unreached" of each group, shares in %.
  static std::vector<std::string> Rows(const ReferralStatsReport& r) {
    std::vector<std::string> out;
    const auto pct = [](std::optional<double> s) {
      return s ? std::to_string(std::lround(*s * 100)) : std::string("-");
    };
    for (const ReferralStatsGroup& g : r.groups) {
      std::string row;
      for (const std::string& v : g.values) row += v + " ";
      row += ": " + (g.count ? std::to_string(*g.count) : "<5") + " " + pct(g.completed_share) +
             "/" + pct(g.declined_share) + "/" + pct(g.declined_inappropriate_share) + "/" +
             pct(g.closed_unreached_share);
      out.push_back(row);
    }
    return out;
  }

  platform::TestClock clock_{static_cast<int64_t>(kEventMs) + 3'600'000};
  std::string received_last_;
};

TEST_F(ReferralOutcomesTest, ExactOutcomesByServiceSexAndPeriod) {
  auto by_all = Exact({"service", "sex", "period"});
  ASSERT_TRUE(by_all.ok()) << by_all.status().message();
  EXPECT_EQ(by_all->total, 5);
  EXPECT_EQ(Rows(*by_all), (std::vector<std::string>{
                               "education F 2026-09 : 1 0/100/0/0", "health F 2026-08 : 1 0/0/0/0",
                               "health F 2026-09 : 1 0/0/0/100", "health M 2026-08 : 1 100/0/0/0",
                               "health M 2026-09 : 1 0/100/100/0"}));
  auto by_sex = Exact({"sex"});
  ASSERT_TRUE(by_sex.ok());
  EXPECT_EQ(Rows(*by_sex), (std::vector<std::string>{"F : 3 0/33/0/33", "M : 2 50/50/50/0"}));
  auto by_period = Exact({"period"});
  ASSERT_TRUE(by_period.ok());
  EXPECT_EQ(Rows(*by_period),
            (std::vector<std::string>{"2026-08 : 2 50/0/0/0", "2026-09 : 3 0/67/33/33"}));
  // Without --by: by area and service, as before.
  auto plain = Exact({});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->dimensions, (std::vector<std::string>{"area", "service"}));
  EXPECT_EQ(Rows(*plain), (std::vector<std::string>{"440306 education : 1 0/100/0/0",
                                                    "440306 health : 4 25/25/25/25"}));
  // Created in September only; then August only.
  auto september = Exact({"sex"}, "2026-09-01");
  ASSERT_TRUE(september.ok());
  EXPECT_EQ(Rows(*september), (std::vector<std::string>{"F : 2 0/50/0/50", "M : 1 0/100/100/0"}));
  auto august = Exact({}, "2026-08-01", "2026-08-31");
  ASSERT_TRUE(august.ok());
  EXPECT_EQ(august->total, 2);
  // Bad questions name what is wrong.
  const std::pair<Result<ReferralStatsReport>, const char*> bad[] = {
      {Exact({"age_band"}), "age_band"},
      {Exact({}, "2026-02-30"), "--from"},
      {Exact({}, "", "2026/09/01"), "--to"},
      {Exact({}, "2026-09-02", "2026-09-01"), "before --from"}};
  for (const auto& [result, named] : bad) {
    ASSERT_FALSE(result.ok()) << named;
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find(named), std::string::npos)
        << result.status().message();
  }
}

TEST_F(ReferralOutcomesTest, AsOfIsTheNewestReferralEventCounted) {
  clock_.Advance(std::chrono::hours(5));  // asking later changes nothing
  auto all = Exact({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->as_of, received_last_);
  EXPECT_NE(all->as_of, UtcNowIso8601(clock_));
  // The August referrals: R5, created 5 minutes in and never moved on, and R1, completed 7
  // minutes in (5 creations, then its acceptance and completion): the newer counts.
  auto august = Exact({}, "", "2026-08-31");
  ASSERT_TRUE(august.ok());
  const int64_t start_ms = static_cast<int64_t>(kEventMs) + 3'600'000;
  EXPECT_EQ(august->as_of, UtcIso8601((start_ms + 7 * 60'000) / 1000));  // 5 creates, 2 moves
  // No referral of the area: as of the newest referral anywhere.
  ReferralStatsQuery elsewhere{"32", false, ""};
  auto none = static_cast<ReportStore&>(*store_).ReferralStats(elsewhere);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  EXPECT_EQ(none->as_of, received_last_);
}

// Every breakdown an official may ask of a larger population, at every area level: no count from
// 1 to 4 is ever shown, a shown share's group is shown, and the protected total is the published
// total of the same referrals whatever the breakdown (the same set, the same answer).
TEST_F(ReferralOutcomesTest, PublishedOutcomesNeverShowACountOfOneToFour) {
  std::vector<wire::Event> more;
  for (int n = 6; n <= 80; ++n) {
    const int child = 1 + n % 2;
    json payload = {{"referral_id", "GD-T1-R" + std::to_string(n)},
                    {"child_id", "GD-T1-" + std::to_string(child)},
                    {"service", n % 3 == 0   ? "education"
                                : n % 3 == 1 ? "health"
                                             : "legal_aid"},
                    {"from_site", "GD"},
                    {"to_site", "CL"},
                    {"reason", "转介"}};
    const uint64_t ms = n % 4 == 0 ? kAugustMs : kEventMs;
    more.push_back(MakeEvent("GD-T1", "referral.create", static_cast<uint64_t>(n + 2),
                             (ms << 16) + static_cast<uint64_t>(n),
                             "GD-T1-" + std::to_string(child), payload));
  }
  ASSERT_TRUE(store_->Ingest("GD-T1", more).ok());
  std::optional<std::optional<int64_t>> total;
  for (const char* area : {"44", "4403", "440306"}) {
    for (int mask = 0; mask < 16; ++mask) {
      ReferralStatsQuery q{area, false, ""};
      for (size_t d = 0; d < kReferralDimensions.size(); ++d) {
        if (mask & (1 << d)) q.by.push_back(kReferralDimensions[d]);
      }
      auto r = static_cast<ReportStore&>(*store_).ReferralStats(q);
      ASSERT_TRUE(r.ok()) << r.status().message();
      if (!total) total = r->total;
      EXPECT_EQ(r->total, *total) << area << " " << mask;
      size_t shown = 0;
      for (const ReferralStatsGroup& g : r->groups) {
        EXPECT_FALSE(g.count && *g.count >= 1 && *g.count < kSmallCell) << *g.count;
        if (!g.count) {
          EXPECT_FALSE(g.completed_share || g.declined_share || g.declined_inappropriate_share ||
                       g.closed_unreached_share);
        } else {
          ++shown;
        }
      }
      if (mask == 0) {
        EXPECT_EQ(shown, r->groups.size());
      }
    }
  }
  ASSERT_TRUE(total && *total);
  EXPECT_GE(**total, 80 - kMaxNoise);
  EXPECT_LE(**total, 80 + kMaxNoise);
}

}  // namespace
}  // namespace onecard::server
