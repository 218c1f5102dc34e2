// One server process holds a thousand concurrent terminal sessions (PRODUCT.md section 12).
#include <gtest/gtest.h>

#include "net_fixture.h"

namespace onecard::testing {
namespace {

TEST_F(SyncNetTest, HoldsAThousandConcurrentSessions) {
  constexpr int kSessions = 1000;
  // Sessions are opened one after the other; none may idle out before the last is open.
  // One certificate serves all of them here, so the per-terminal limit is lifted for this test.
  StartService([](server::SyncServiceOptions& o) {
    o.idle_timeout = std::chrono::minutes(5);
    o.max_connections_per_terminal = kSessions;
  });
  store_.AddTerminal("T-MANY", "S", "320102");
  Credential credential = pki_.IssueTerminal("T-MANY");
  std::vector<std::unique_ptr<RawTlsClient>> clients;
  clients.reserve(kSessions);
  for (int i = 0; i < kSessions; ++i) {
    auto client = std::make_unique<RawTlsClient>(pki_.ca_pem, &credential);
    ASSERT_TRUE(client->Connect(service_->port())) << "session " << i;
    wire::Envelope hello;
    hello.mutable_hello()->set_protocol_version(kSyncProtocolVersion);
    hello.mutable_hello()->set_terminal_id("T-MANY");
    ASSERT_TRUE(client->Send(hello));
    auto ack = client->Receive();
    ASSERT_TRUE(ack.has_value() && ack->has_hello_ack()) << "session " << i;
    clients.push_back(std::move(client));
  }
  EXPECT_EQ(service_->stats().active, static_cast<uint64_t>(kSessions));
  // With all of them open, another terminal still syncs normally.
  terminal::SyncEndpoint e = Enrol("T-ONE");
  FakeLocalStore local;
  local.AddEvents("T-ONE", 1, 10, "C");
  auto report = terminal::RunSync(e, local, QuickOptions());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->pushed, 10u);
  // Every one of the thousand sessions is still served.
  for (int i = 0; i < kSessions; i += 97) {
    wire::Envelope pull;
    pull.mutable_pull()->set_cursor(0);
    ASSERT_TRUE(clients[i]->Send(pull));
    auto page = clients[i]->Receive();
    ASSERT_TRUE(page.has_value() && page->has_pull_page()) << "session " << i;
    EXPECT_EQ(page->pull_page().children_size(), 10);
  }
  clients.clear();
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.active == 0; }));
}

}  // namespace
}  // namespace onecard::testing
