// A version 2 terminal and a version 3 terminal of one site (sync.md, "Typed events") push and
// pull through one real server (store, sync service, TLS): the first sends type + JSON payload,
// the second typed events, and each sees the other's registrations and changes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "net_fixture.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/server_store.h"
#include "process.h"
#include "server_store_internals.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

constexpr char kOld[] = "JS-T1";  // speaks protocol version 2
constexpr char kNew[] = "JS-T2";  // speaks version 3

json Registration(const std::string& name) {
  return {{"name", name},
          {"sex", "M"},
          {"birth_date", "2016-05-02"},
          {"hukou_area", "321324"},
          {"residence_area", "321324"},
          {"category", "other"},
          {"consent", {{"by", "刘强"}, {"relation", "father"}, {"date", "2026-03-01"}}}};
}

wire::Event Event(const std::string& terminal, uint64_t seq, std::string_view type,
                  const std::string& child, const json& payload) {
  wire::Event e;
  e.set_terminal_id(terminal);
  e.set_seq(seq);
  e.set_hlc((HybridClock::PhysicalNowMs(platform::SystemClock()) << 16) + seq);
  e.set_type(std::string(type));
  e.set_child_id(child);
  e.set_payload(payload.dump());
  return e;
}

wire::Event Upsert(const std::string& terminal, uint64_t seq, const std::string& child,
                   const json& fields) {
  return Event(terminal, seq, event_type::kChildUpsert, child,
               {{"child_id", child}, {"fields", fields}});
}

// The winning value of `field` in a pulled child's state ("" when none).
std::string Pulled(const FakeLocalStore& terminal, const std::string& child,
                   const std::string& field) {
  auto it = terminal.children.find(child);
  if (it == terminal.children.end()) return "";
  json state = json::parse(it->second);
  const json* value = &state["fields"][field]["v"];
  return value->is_string() ? value->get<std::string>() : "";
}

class MixedVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server::InitializeServer(dir_ / "server", {}).ok());
    auto store = server::ServerStore::Open(dir_ / "server");
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->AddSite({"JS", "泗洪县登记点", "321324", "sending"}).ok());
    ASSERT_TRUE(store_->AddSite({"GD", "宝安区登记点", "440306", "receiving"}).ok());
    for (const char* terminal : {kOld, kNew}) {
      auto bundle = server::EnrollTerminal(*store_, "JS", terminal, "");
      ASSERT_TRUE(bundle.ok()) << bundle.status().message();
      bundles_[terminal] = std::move(bundle).value();
    }
    auto tls = server::LoadServerTls(*store_);
    ASSERT_TRUE(tls.ok()) << tls.status().message();
    server::SyncServiceOptions options;
    options.ca_cert_pem = tls->ca_cert_pem;
    options.cert_pem = tls->cert_pem;
    options.key_pem = tls->key_pem;
    service_ = std::make_unique<server::SyncService>(std::move(options), *store_);
    ASSERT_TRUE(service_->Start().ok());
  }
  void TearDown() override {
    if (service_) service_->Stop();
  }

  // Syncs `terminal` (its outbox, then its pulls) at its version; every event is accepted.
  void Sync(const std::string& terminal, FakeLocalStore& local) {
    const json& b = bundles_.at(terminal);
    terminal::SyncEndpoint endpoint;
    endpoint.host = "127.0.0.1";
    endpoint.port = service_->port();
    endpoint.ca_cert_pem = b.at("ca_certificate");
    endpoint.cert_pem = b.at("tls_certificate");
    endpoint.key_pem = b.at("tls_key");
    endpoint.terminal_id = terminal;
    terminal::SyncOptions options = QuickOptions();
    options.max_protocol_version = terminal == kOld ? 2 : kSyncProtocolVersion;
    auto report = terminal::RunSync(endpoint, local, options);
    ASSERT_TRUE(report.ok()) << terminal << ": " << report.status().message();
    EXPECT_EQ(report->protocol_version, options.max_protocol_version);
    EXPECT_TRUE(report->refused.empty()) << report->refused.front().message();
    EXPECT_TRUE(local.outbox.empty());
  }
  int64_t Count(const std::string& sql) {
    return server::ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare(sql);
      EXPECT_TRUE(st.ok()) << sql;
      auto row = st->Step();
      return row.ok() && *row ? st->ColumnInt(0) : -1;
    });
  }

  TempDir dir_{"onecard-mixed-versions"};
  std::unique_ptr<server::ServerStore> store_;
  std::unique_ptr<server::SyncService> service_;
  std::map<std::string, json> bundles_;
};

TEST_F(MixedVersionsTest, Version2AndVersion3TerminalsSeeEachOthersChanges) {
  FakeLocalStore old_terminal, new_terminal;
  old_terminal.outbox.push_back(Upsert(kOld, 1, "JS-T1-1", Registration("陈晨")));
  Sync(kOld, old_terminal);

  new_terminal.outbox.push_back(Upsert(kNew, 1, "JS-T2-1", Registration("黄磊")));
  new_terminal.outbox.push_back(
      Upsert(kNew, 2, "JS-T1-1", {{"residence_address", "青阳街道 12 号"}}));
  new_terminal.outbox.push_back(Event(kNew, 3, event_type::kReferralCreate, "JS-T1-1",
                                      {{"referral_id", "JS-T2-R1"},
                                       {"child_id", "JS-T1-1"},
                                       {"service", "education"},
                                       {"from_site", "JS"},
                                       {"to_site", "GD"},
                                       {"reason", "随父母迁往深圳"}}));
  Sync(kNew, new_terminal);

  old_terminal.outbox.push_back(Upsert(kOld, 2, "JS-T2-1", {{"residence_address", "城关镇 3 号"}}));
  Sync(kOld, old_terminal);
  Sync(kNew, new_terminal);

  for (const FakeLocalStore* t : {&old_terminal, &new_terminal}) {
    EXPECT_EQ(Pulled(*t, "JS-T1-1", "name"), "陈晨");
    EXPECT_EQ(Pulled(*t, "JS-T1-1", "residence_address"), "青阳街道 12 号");
    EXPECT_EQ(Pulled(*t, "JS-T2-1", "name"), "黄磊");
    EXPECT_EQ(Pulled(*t, "JS-T2-1", "residence_address"), "城关镇 3 号");
  }
  // The server keeps every event in the legacy form, whichever form it came in.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE json_valid(payload) AND type IN "
                  "('child.upsert', 'referral.create')"),
            5);
  EXPECT_EQ(Count("SELECT count(*) FROM referrals WHERE referral_id = 'JS-T2-R1'"), 1);
}

}  // namespace
}  // namespace onecard::testing
