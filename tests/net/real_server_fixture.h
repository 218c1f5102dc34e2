// Shared set-up for the tests/net tests that run against the real server rather than a fake store:
// the embedded ServerStore in a temporary folder with two sites, JS (Sihong county 321324,
// sending) and GD (Bao'an district 440306, receiving), terminals enrolled there as real ones are,
// and the SyncService over mutual TLS with the store's own CA and server certificate. Events are
// stamped with this machine's clock, as the server checks stamps against it. Header-only:
// tests/net builds only *_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net_fixture.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/server_store.h"
#include "process.h"
#include "server_store_internals.h"

namespace onecard::testing {

// A stamp of now at this machine's clock, `logical` apart.
inline uint64_t StampNow(uint64_t logical) {
  return (HybridClock::PhysicalNowMs(platform::SystemClock()) << 16) + logical;
}

// An event of `terminal` numbered `seq`, stamped now (`seq` apart).
inline wire::Event EventNow(const std::string& terminal, uint64_t seq, std::string_view type,
                            const std::string& child, const nlohmann::json& payload) {
  wire::Event e;
  e.set_terminal_id(terminal);
  e.set_seq(seq);
  e.set_hlc(StampNow(seq));
  e.set_type(std::string(type));
  e.set_child_id(child);
  e.set_payload(payload.dump());
  return e;
}

// A child.upsert of `child` with `fields`, stamped now.
inline wire::Event UpsertNow(const std::string& terminal, uint64_t seq, const std::string& child,
                             const nlohmann::json& fields) {
  return EventNow(terminal, seq, event_type::kChildUpsert, child,
                  {{"child_id", child}, {"fields", fields}});
}

class RealServerTest : public ::testing::Test {
 protected:
  // Makes the store with sites JS and GD, enrols each terminal at its site (terminal id, site id)
  // and starts the service. Use it under ASSERT_NO_FATAL_FAILURE.
  void StartServer(const std::vector<std::pair<std::string, std::string>>& terminals_at_sites) {
    ASSERT_TRUE(server::InitializeServer(dir_ / "server", {}).ok());
    auto store = server::ServerStore::Open(dir_ / "server");
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->AddSite({"JS", "泗洪县登记点", "321324", "sending"}).ok());
    ASSERT_TRUE(store_->AddSite({"GD", "宝安区登记点", "440306", "receiving"}).ok());
    for (const auto& [terminal, site] : terminals_at_sites) {
      auto bundle = server::EnrollTerminal(*store_, site, terminal, "");
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

  // The sync endpoint of an enrolled terminal, as it takes it from its enrolment bundle.
  terminal::SyncEndpoint Endpoint(const std::string& terminal) {
    const nlohmann::json& b = bundles_.at(terminal);
    terminal::SyncEndpoint e;
    e.host = "127.0.0.1";
    e.port = service_->port();
    e.ca_cert_pem = b.at("ca_certificate");
    e.cert_pem = b.at("tls_certificate");
    e.key_pem = b.at("tls_key");
    e.terminal_id = terminal;
    return e;
  }

  // The number the query `sql` selects from the server's database (-1 when it selects no row).
  int64_t Count(const std::string& sql) {
    return server::ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare(sql);
      EXPECT_TRUE(st.ok()) << sql;
      auto row = st->Step();
      return row.ok() && *row ? st->ColumnInt(0) : -1;
    });
  }

  TempDir dir_{"onecard-real-server"};
  std::unique_ptr<server::ServerStore> store_;
  std::unique_ptr<server::SyncService> service_;
  std::map<std::string, nlohmann::json> bundles_;  // the enrolment bundle of each terminal
};

}  // namespace onecard::testing
