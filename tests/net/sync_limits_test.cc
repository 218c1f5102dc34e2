// Connection limits of the sync service: per terminal (the next session after the limit gets
// Error{resource_exhausted}) and in all (further TCP connections are closed at once).
#include <gtest/gtest.h>

#include "net_fixture.h"

namespace onecard::testing {
namespace {

TEST_F(SyncNetTest, FifthConnectionOfOneTerminalIsRefusedAsResourceExhausted) {
  StartService([](server::SyncServiceOptions& o) { o.max_connections_per_terminal = 4; });
  terminal::SyncEndpoint e = Enrol("T-A");
  Credential credential{e.cert_pem, e.key_pem};
  std::vector<std::unique_ptr<RawTlsClient>> open;
  for (int i = 0; i < 4; ++i) {
    auto c = std::make_unique<RawTlsClient>(pki_.ca_pem, &credential);
    ASSERT_TRUE(c->ConnectAndHello(service_->port(), "T-A").has_value()) << "session " << i;
    open.push_back(std::move(c));
  }
  RawTlsClient fifth(pki_.ca_pem, &credential);
  ASSERT_TRUE(fifth.Connect(service_->port()));
  auto refusal = fifth.Receive();
  ASSERT_TRUE(refusal && refusal->has_error());
  EXPECT_EQ(refusal->error().code(), "resource_exhausted");
  EXPECT_NE(refusal->error().message().find("T-A"), std::string::npos)
      << refusal->error().message();
  EXPECT_TRUE(fifth.WaitClosed(std::chrono::seconds(5)));
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.over_limit == 1u; }));
  EXPECT_TRUE(LogContains(refusal->error().message()));  // the refusal is logged

  // Another terminal is not affected, and a closed session frees its slot.
  terminal::SyncEndpoint other = Enrol("T-B");
  FakeLocalStore local;
  ASSERT_TRUE(RunSync(other, local, QuickOptions()).ok());
  open.pop_back();  // closes one of T-A's sessions
  bool admitted = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!admitted && std::chrono::steady_clock::now() < deadline) {
    auto report = RunSync(e, local, QuickOptions());
    admitted = report.ok();
    if (!admitted) {
      ASSERT_EQ(report.status().code(), ErrorCode::kResourceExhausted) << report.status().message();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the server notices the close
    }
  }
  EXPECT_TRUE(admitted);
}

TEST_F(SyncNetTest, ConnectionsOverTheServiceLimitAreClosedAtOnce) {
  StartService([](server::SyncServiceOptions& o) { o.max_connections = 2; });
  terminal::SyncEndpoint e = Enrol("T-A");
  Credential credential{e.cert_pem, e.key_pem};
  RawTlsClient first(pki_.ca_pem, &credential), second(pki_.ca_pem, &credential);
  ASSERT_TRUE(first.Connect(service_->port()));
  ASSERT_TRUE(second.Connect(service_->port()));
  ASSERT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.active == 2u; }));
  RawTlsClient third(pki_.ca_pem, &credential);
  ASSERT_TRUE(third.ConnectTcp(service_->port()));
  EXPECT_TRUE(third.WaitClosed(std::chrono::seconds(5)));
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.over_limit == 1u; }));
  EXPECT_TRUE(LogContains("connection limit reached"));
}

}  // namespace
}  // namespace onecard::testing
