// Typed events (protocol version 3, sync.md "Typed events") at ingest: read once from either wire
// form, judged by the same rules, stored in the legacy form; malformed typed events are refused
// with their reason and leave nothing behind.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/server/server_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

class ServerTypedEventsTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    saved_language_ = CurrentLanguage();
    SetLanguage(Language::kEn);  // the refusals below are matched in English
    CreateTwoSiteStore();        // T1 at JS (321324), T2 at GD (440306)
  }
  void TearDown() override {
    SetLanguage(saved_language_);
    ServerStoreFixture::TearDown();
  }

  static wire::Event Typed(wire::Event event) {
    Status converted = ToTyped(event);
    EXPECT_TRUE(converted.ok()) << converted.message();
    return event;
  }
  std::string StoredEvent(const std::string& terminal, uint64_t seq, const char* column) {
    return ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare(std::string("SELECT ") + column +
                           " FROM events WHERE terminal_id = ? AND seq = ?");
      EXPECT_TRUE(st.ok());
      st->Bind(1, terminal).Bind(2, static_cast<int64_t>(seq));
      auto row = st->Step();
      return row.ok() && *row ? st->ColumnText(0) : std::string();
    });
  }

  Language saved_language_ = Language::kZh;
};

TEST_F(ServerTypedEventsTest, ATypedEventIsJudgedAsItsLegacyFormAndStoredInIt) {
  const wire::Event legacy = MakeUpsert("T1", 1, 10, "T1-1", NewChild("王明", "321324"));
  EXPECT_TRUE(PushV3("T1", {Typed(legacy)}).empty());
  EXPECT_EQ(StoredEvent("T1", 1, "type"), event_type::kChildUpsert);
  EXPECT_EQ(json::parse(StoredEvent("T1", 1, "payload")), json::parse(legacy.payload()));

  // Typed revocation, referral and identity decision of the stored child.
  std::vector<wire::Event> more = {
      MakeEvent("T1", std::string(event_type::kCardRevoke), 2, 11, "T1-1",
                {{"serial", "5A5A000011112222"}, {"child_id", "T1-1"}, {"reason", "遗失"}}),
      MakeEvent("T1", std::string(event_type::kReferralCreate), 3, 12, "T1-1",
                {{"referral_id", "T1-R1"},
                 {"child_id", "T1-1"},
                 {"service", "education"},
                 {"from_site", "JS"},
                 {"to_site", "GD"},
                 {"reason", "转学"}}),
  };
  for (wire::Event& e : more) e = Typed(e);
  EXPECT_TRUE(PushV3("T1", more).empty());
  EXPECT_EQ(CountRows("revocations"), 1);
  EXPECT_EQ(CountRows("referrals"), 1);
  EXPECT_EQ(StoredEvent("T1", 3, "type"), event_type::kReferralCreate);
}

TEST_F(ServerTypedEventsTest, MalformedTypedEventsAreRefusedOneByOne) {
  const wire::Event good = Typed(MakeUpsert("T2", 1, 10, "T2-1", NewChild("李华", "440306")));
  std::vector<wire::Event> events;
  auto add = [&](wire::Event e) {
    e.set_seq(events.size() + 1);
    events.push_back(std::move(e));
  };
  wire::Event both = good;  // 1
  both.set_type(std::string(event_type::kChildUpsert));
  add(both);
  wire::Event neither = good;  // 2
  neither.clear_body();
  add(neither);
  wire::Event fields = good;  // 3
  fields.mutable_child_upsert()->set_fields("\"王\"");
  add(fields);
  wire::Event future = Typed(  // 4: the registration rules apply to the typed form alike
      MakeUpsert("T2", 4, 10, "T2-4", NewChild("李华", "440306", "2099-01-01")));
  add(future);
  wire::Event serial = Typed(MakeEvent("T2", std::string(event_type::kCardRevoke), 5, 11, "",
                                       {{"serial", "not-a-serial"}, {"child_id", ""}}));
  add(serial);  // 5
  wire::Event status = Typed(MakeEvent("T2", std::string(event_type::kReferralStatus), 6, 12,
                                       "T2-1", {{"referral_id", "T2-R1"}, {"status", "accepted"}}));
  status.mutable_referral_status()->set_status("reopened");
  add(status);  // 6
  wire::Event decision = Typed(MakeEvent("T2", std::string(event_type::kIdentityDecision), 7, 13,
                                         "T2-1", {{"a", "T2-1"}, {"b", "T2-1"}}));
  add(decision);  // 7
  add(good);      // 8: stored

  std::map<uint64_t, std::string> refused = PushV3("T2", events);
  const std::map<uint64_t, std::string> mention = {
      {1, "both"},   {2, "neither"}, {3, "fields"},     {4, "birth_date"},
      {5, "serial"}, {6, "status"},  {7, "same child"},
  };
  for (const auto& [seq, words] : mention) {
    ASSERT_EQ(refused.count(seq), 1u) << "seq " << seq << " was not refused";
    EXPECT_NE(refused[seq].find(words), std::string::npos) << seq << ": " << refused[seq];
  }
  EXPECT_EQ(refused.count(8), 0u) << refused[8];
  EXPECT_EQ(CountRows("events"), 1);
  EXPECT_EQ(CountRows("revocations"), 0);
  EXPECT_EQ(CountRows("identity_decisions"), 0);
}

TEST_F(ServerTypedEventsTest, AMalformedTypedEventFailsAVersion2Push) {
  wire::Event fields = Typed(MakeUpsert("T2", 1, 10, "T2-1", NewChild("李华", "440306")));
  fields.mutable_child_upsert()->set_fields("{");
  auto acked = store_->Ingest(
      "T2", {Typed(MakeUpsert("T2", 2, 10, "T2-2", NewChild("张强", "440306"))), fields});
  ASSERT_FALSE(acked.ok());
  EXPECT_EQ(acked.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountRows("events"), 0);
}

}  // namespace
}  // namespace onecard::server
