// A stolen terminal (issue 12): an enrolled terminal's own certificate, well-formed frames, bad
// contents. Against the real server store and sync service over TLS, every attack is refused in
// the push reply with its reason and nothing of it is stored; the service keeps serving, counts
// work, and another site's child stays as its site registered it — at the server and at that
// site's terminal — and never reaches the attacker.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "real_server_fixture.h"
#include "test_card_proof.h"

namespace onecard::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kVictim[] = "JS-T1";         // at site JS, Sihong county 321324
constexpr char kVictimChild[] = "JS-T1-1";  // hukou and residence in Sihong
constexpr char kVictimCard[] = "5A5A000011112222";
constexpr char kAttacker[] = "GD-T9";  // at site GD, Bao'an district 440306

json Registration(const std::string& name, const std::string& area) {
  return {
      {"name", name},
      {"sex", "F"},
      {"birth_date", "2017-06-18"},
      {"hukou_area", area},
      {"residence_area", area},
      {"category", "left_behind"},
      {"guardians",
       json::array({{{"name", "周桂兰"}, {"relation", "grandparent"}, {"phone", "13800138000"}}})},
      {"consent", {{"by", "周桂兰"}, {"relation", "grandparent"}, {"date", "2026-03-01"}}}};
}

wire::Envelope Push(const std::vector<wire::Event>& events) {
  wire::Envelope e;
  for (const wire::Event& event : events) *e.mutable_push()->add_events() = event;
  return e;
}

struct Attack {
  std::string what;
  wire::Event event;
  std::string must_mention;  // in the refusal's message: the field or the reason
};

class HostileTerminalTest : public RealServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer({{kVictim, "JS"}, {kAttacker, "GD"}}));

    // The victim's site registers its child (with a card) and syncs, as a real terminal does.
    json fields = Registration("王芳", "321324");
    fields["card_serial"] = kVictimCard;
    victim_.outbox.push_back(UpsertNow(kVictim, 1, kVictimChild, fields));
    auto synced = terminal::RunSync(Endpoint(kVictim), victim_, QuickOptions());
    ASSERT_TRUE(synced.ok()) << synced.status().message();
    ASSERT_EQ(victim_.children.count(kVictimChild), 1u);
    victim_state_ = StoredState(kVictimChild);
    ASSERT_FALSE(victim_state_.empty());
  }

  // A raw session of the attacker, past Hello at `version`.
  std::unique_ptr<RawTlsClient> AttackerSession(uint32_t version) {
    const json& b = bundles_.at(kAttacker);
    credential_ = Credential{b.at("tls_certificate"), b.at("tls_key")};
    auto client =
        std::make_unique<RawTlsClient>(b.at("ca_certificate").get<std::string>(), &credential_);
    auto ack = client->ConnectAndHello(service_->port(), kAttacker, version);
    EXPECT_TRUE(ack.has_value());
    if (ack) {
      EXPECT_EQ(ack->protocol_version(), version);
    }
    return client;
  }

  std::string StoredState(const std::string& child) {
    return server::ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare("SELECT state FROM children WHERE child_id = ?");
      EXPECT_TRUE(st.ok());
      st->Bind(1, child);
      auto row = st->Step();
      return row.ok() && *row ? st->ColumnText(0) : std::string();
    });
  }
  // Attacks, each in its own seq of the attacker from 1, in this order.
  std::vector<Attack> Attacks() {
    std::vector<Attack> attacks;
    auto own = [&](const std::string& what, const std::string& field, const json& value,
                   const std::string& mention = "") {
      json fields = Registration("张伟", "440306");
      if (value.is_discarded()) {
        fields.erase(field);
      } else {
        fields[field] = value;
      }
      const uint64_t seq = attacks.size() + 1;
      attacks.push_back(
          {what,
           UpsertNow(kAttacker, seq, std::string(kAttacker) + "-" + std::to_string(seq), fields),
           mention.empty() ? field : mention});
    };
    own("birth date not a date", "birth_date", "abcd-ef-gh");
    own("birth date in the future", "birth_date", "2030-01-01");
    own("birth date that does not exist", "birth_date", "2019-02-30");
    own("birth date of an adult", "birth_date", "2001-01-01");
    own("sex outside the code list", "sex", "X");
    own("category outside the code list", "category", "alien");
    own("area code that does not exist", "residence_area", "999999");
    own("name of 10,000 characters", "name", std::string(10000, 'a'));
    own("name with control characters", "name", "张\x01伟");
    own("name that is a number", "name", 12345);
    own("unknown field", "is_admin", true);
    own("dose −1 of an unknown vaccine", "immunizations",
        json::array({{{"vaccine", "POISON"}, {"dose", -1}, {"date", "2020-01-01"}}}),
        "immunizations");
    json many = json::array();
    for (int i = 0; i < 10000; ++i) many.push_back({{"name", "李四"}, {"relation", "father"}});
    own("10,000 guardians", "guardians", many);
    own("registration without consent", "consent", json(json::value_t::discarded));
    {
      const uint64_t seq = attacks.size() + 1;
      wire::Event e = UpsertNow(kAttacker, seq, std::string(kAttacker) + "-" + std::to_string(seq),
                                json::object());
      attacks.push_back(
          {"record with no fields", e, std::string(kAttacker) + "-" + std::to_string(seq)});
    }
    auto other = [&](const std::string& what, wire::Event e, const std::string& mention) {
      e.set_seq(attacks.size() + 1);
      e.set_hlc(StampNow(e.seq()));
      attacks.push_back({what, std::move(e), mention});
    };
    other("another site's child overwritten",
          UpsertNow(kAttacker, 0, kVictimChild, {{"name", "黑客"}}), kVictimChild);
    other("another site's child moved into the attacker's scope",
          UpsertNow(kAttacker, 0, kVictimChild,
                    {{"residence_area", "440306"}, {"category", "migrant"}}),
          kVictimChild);
    other("a child created in another terminal's namespace",
          UpsertNow(kAttacker, 0, "JS-T1-77", Registration("赵敏", "321324")), "JS-T1-77");
    {
      // A card record the attacker sealed itself for a card the server does not know.
      json record = Registration("王芳", "321324");
      record["child_id"] = kVictimChild;
      record["card_serial"] = "0000DEADBEEF0000";
      wire::Event e = UpsertNow(kAttacker, 0, kVictimChild, {{"name", "黑客"}});
      *e.mutable_card_proof() = SealedCardProof(bundles_.at(kAttacker), record,
                                                platform::SystemClock().WallSeconds() - 60);
      other("another site's child with a self-sealed card record", e, kVictimChild);
    }
    {
      wire::Event e = UpsertNow(kAttacker, 0, kVictimChild, {{"name", "黑客"}});
      e.mutable_card_proof()->set_serial(std::string(8, '\x5a'));
      e.mutable_card_proof()->set_sealed_record("not a card record");
      other("another site's child with a garbage card record", e, kVictimChild);
    }
    {
      wire::Event e = UpsertNow(kAttacker, 0, kVictimChild, {});
      e.set_type("card.revoke");
      e.set_payload(
          json{{"serial", kVictimCard}, {"child_id", kVictimChild}, {"reason", "lost"}}.dump());
      other("another site's child's card revoked", e, kVictimChild);
    }
    {
      wire::Event e = UpsertNow(kAttacker, 0, kVictimChild, {});
      e.set_type("child.delete");
      other("unknown event type", e, "child.delete");
    }
    {
      wire::Event e = UpsertNow(kAttacker, 0, "GD-T9-900", Registration("钱进", "440306"));
      other("an HLC in the year 2100", e, "2100");
      attacks.back().event.set_hlc(uint64_t{4102444800000} << 16);  // 2100-01-01T00:00:00Z
    }
    {
      wire::Event e = UpsertNow(kAttacker, 0, "GD-T9-901", Registration("孙丽", "440306"));
      e.set_payload(
          json{{"child_id", "GD-T9-902"}, {"fields", Registration("孙丽", "440306")}}.dump());
      other("payload of another child than the event's", e, "GD-T9-902");
    }
    return attacks;
  }

  Credential credential_;
  FakeLocalStore victim_;
  std::string victim_state_;  // the victim child's state at the server before the attacks
};

TEST_F(HostileTerminalTest, EveryAttackIsRefusedWithItsReasonAndNothingOfItIsStored) {
  std::vector<Attack> attacks = Attacks();
  const uint64_t last = attacks.size();
  std::vector<wire::Event> events;
  for (const Attack& a : attacks) events.push_back(a.event);
  // Two that are no seq of the attacker's: another terminal's origin (the victim's next seq), and
  // a seq past the protocol's range.
  wire::Event forged = UpsertNow(kVictim, 2, kVictimChild, {{"name", "黑客"}});
  events.push_back(forged);
  wire::Event beyond = UpsertNow(kAttacker, 0, "GD-T9-903", Registration("周杰", "440306"));
  beyond.set_seq((uint64_t{1} << 63) + 5);
  events.push_back(beyond);

  auto session = AttackerSession(kSyncProtocolVersion);
  ASSERT_TRUE(session->Send(Push(events)));
  auto reply = session->Receive(milliseconds(15000));
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE(reply->has_push_ack()) << (reply->has_error() ? reply->error().message() : "");
  const wire::PushAck ack = reply->push_ack();  // a copy: `reply` is reused below
  // Every refused event of the attacker's own numbering is settled, so its outbox moves on.
  EXPECT_EQ(ack.acked_seq(), last);
  ASSERT_EQ(ack.refused_size(), static_cast<int>(events.size()));
  for (int i = 0; i < ack.refused_size(); ++i) {
    const wire::EventRefusal& r = ack.refused(i);
    EXPECT_EQ(r.seq(), events[static_cast<size_t>(i)].seq());
    EXPECT_FALSE(r.code().empty());
    if (static_cast<size_t>(i) < attacks.size()) {
      const Attack& a = attacks[static_cast<size_t>(i)];
      EXPECT_NE(r.message().find(a.must_mention), std::string::npos)
          << a.what << ": the refusal does not name " << a.must_mention << ": " << r.message();
    }
  }
  EXPECT_EQ(ack.refused(static_cast<int>(last)).code(), "invalid_argument");  // forged origin

  // The rest of the session proceeds: the attacker's next, valid registration is stored.
  ASSERT_TRUE(session->Send(
      Push({UpsertNow(kAttacker, last + 1, "GD-T9-1000", Registration("吴刚", "440306"))})));
  reply = session->Receive();
  ASSERT_TRUE(reply && reply->has_push_ack());
  EXPECT_EQ(reply->push_ack().acked_seq(), last + 1);
  EXPECT_EQ(reply->push_ack().refused_size(), 0);

  // Nothing of the attacks is stored; their refusals are kept for the administrators.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE terminal_id = 'GD-T9'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM children"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM refused_events WHERE terminal_id = 'GD-T9'"),
            static_cast<int64_t>(last));
  EXPECT_EQ(Count("SELECT count(*) FROM refused_events WHERE terminal_id = 'JS-T1'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM revocations"), 0);
  EXPECT_EQ(StoredState(kVictimChild), victim_state_);

  // A resend of a refused event gets its first answer again, and still stores nothing.
  ASSERT_TRUE(session->Send(Push({attacks[0].event})));
  reply = session->Receive();
  ASSERT_TRUE(reply && reply->has_push_ack());
  ASSERT_EQ(reply->push_ack().refused_size(), 1);
  EXPECT_EQ(reply->push_ack().refused(0).message(), ack.refused(0).message());
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE terminal_id = 'GD-T9'"), 1);

  // The attacker's pull carries its own child, never the victim's.
  wire::Envelope pull;
  pull.mutable_pull()->set_cursor(0);
  pull.mutable_pull()->set_max_items(100);
  ASSERT_TRUE(session->Send(pull));
  reply = session->Receive();
  ASSERT_TRUE(reply && reply->has_pull_page());
  std::vector<std::string> pulled;
  for (const wire::ChildSnapshot& c : reply->pull_page().children()) pulled.push_back(c.child_id());
  EXPECT_EQ(pulled, std::vector<std::string>{"GD-T9-1000"});
  EXPECT_FALSE(reply->pull_page().more());

  // The service still serves the victim's site, whose next change (its own seq 2, which the forged
  // event claimed) is stored, and whose child is as it registered it apart from that change.
  victim_.outbox.push_back(
      UpsertNow(kVictim, 2, kVictimChild,
                {{"school", {{"name", "泗洪县实验小学"}, {"status", "enrolled"}}}}));
  auto synced = terminal::RunSync(Endpoint(kVictim), victim_, QuickOptions());
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  EXPECT_TRUE(victim_.refused.empty());
  EXPECT_EQ(victim_.last_acked, 2u);
  const json state = json::parse(victim_.children.at(kVictimChild));
  EXPECT_EQ(state["fields"]["name"]["v"], "王芳");
  EXPECT_EQ(state["fields"]["residence_area"]["v"], "321324");
  EXPECT_EQ(state["fields"]["guardians"]["v"][0]["name"], "周桂兰");
  EXPECT_FALSE(state["fields"].contains("is_admin"));

  // Counts work and count what was registered: one child in each province.
  for (const char* by :
       {"", "category", "sex", "age_band", "school_status", "hukou_area", "residence_area:4"}) {
    for (const char* province : {"32", "44"}) {
      server::CountsQuery q;
      q.area_prefix = province;
      q.exact = true;
      q.requested_by = "test";
      if (*by != '\0') {
        auto dimensions = server::ParseDimensions(by);
        ASSERT_TRUE(dimensions.ok()) << by;
        q.by = *dimensions;
      }
      auto counts = store_->Counts(q);
      ASSERT_TRUE(counts.ok()) << by << ": " << counts.status().message();
      EXPECT_EQ(counts->total, 1) << by << " in " << province;
    }
  }
}

TEST_F(HostileTerminalTest, AVersionTwoSessionHasTheWholeBadBatchRefusedAndNothingStored) {
  auto session = AttackerSession(2);
  json fields = Registration("张伟", "440306");
  fields["birth_date"] = "2030-01-01";
  ASSERT_TRUE(
      session->Send(Push({UpsertNow(kAttacker, 1, "GD-T9-1", Registration("吴刚", "440306")),
                          UpsertNow(kAttacker, 2, "GD-T9-2", fields)})));
  auto reply = session->Receive();
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE(reply->has_error());
  EXPECT_EQ(reply->error().code(), "invalid_argument");
  EXPECT_NE(reply->error().message().find("birth_date"), std::string::npos)
      << reply->error().message();
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE terminal_id = 'GD-T9'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM refused_events"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM children"), 1);
}

}  // namespace
}  // namespace onecard::testing
