// Hostile and broken peers: garbage, oversize and truncated frames, idle connections, protocol
// violations, and shutdown with sessions open. Each must end only its own session.
#include <gtest/gtest.h>

#include <future>

#include "net_fixture.h"

namespace onecard::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using terminal::RunSync;

Bytes LengthPrefix(uint32_t length) {
  Bytes out;
  AppendU32(out, length);
  return out;
}

struct HostileCase {
  std::string name;
  bool send_hello_first;
  Bytes bytes;
  std::string expected_error;  // code of the Error frame the server sends before closing
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

class HostileFrameTest : public SyncNetTest, public ::testing::WithParamInterface<HostileCase> {};

TEST_P(HostileFrameTest, ClosesThatSessionWhileAConcurrentGoodSessionCompletes) {
  const HostileCase& c = GetParam();
  StartService();
  terminal::SyncEndpoint good = Enrol("T-GOOD");
  store_.AddTerminal("T-BAD", "S-BAD", "320102");
  Credential bad_credential = pki_.IssueTerminal("T-BAD");

  RawTlsClient bad(pki_.ca_pem, &bad_credential);
  if (c.send_hello_first) {
    ASSERT_TRUE(bad.ConnectAndHello(service_->port(), "T-BAD").has_value());
  } else {
    ASSERT_TRUE(bad.Connect(service_->port()));
  }
  // The good terminal syncs while the bad session is open and misbehaving.
  auto good_sync = std::async(std::launch::async, [&] {
    FakeLocalStore local;
    local.AddEvents("T-GOOD", 1, 50, "C");
    auto r = RunSync(good, local, QuickOptions());
    return r.ok() ? Status::Ok() : r.status();
  });
  ASSERT_TRUE(bad.Write(c.bytes));
  auto reply = bad.Receive();
  ASSERT_TRUE(reply.has_value()) << "no Error frame before the close";
  ASSERT_TRUE(reply->has_error());
  EXPECT_EQ(reply->error().code(), c.expected_error);
  EXPECT_TRUE(bad.WaitClosed(milliseconds(5000)));
  Status good_result = good_sync.get();
  EXPECT_TRUE(good_result.ok()) << good_result.message();
  EXPECT_EQ(store_.stored_events(), 50u);
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.bad_frames == 1u; }))
      << "bad_frames";
}

std::vector<HostileCase> HostileCases() {
  Bytes garbage = {0x00, 0x00, 0x00, 0x08, 0xDE, 0xAD, 0xBE, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF};
  Bytes push_before_hello;
  {
    wire::Envelope e;
    e.mutable_pull()->set_cursor(0);
    push_before_hello = EncodeFrame(e);
  }
  Bytes server_message;
  {
    wire::Envelope e;
    e.mutable_hello_ack()->set_protocol_version(1);
    server_message = EncodeFrame(e);
  }
  return {
      {"garbage_before_hello", false, garbage, "invalid_argument"},
      {"garbage_after_hello", true, garbage, "invalid_argument"},
      {"oversize_length_prefix", true, LengthPrefix(0xFFFFFFF0u), "resource_exhausted"},
      {"just_over_the_limit", true, LengthPrefix(kDefaultMaxFrameBytes + 1), "resource_exhausted"},
      {"zero_length", true, LengthPrefix(0), "invalid_argument"},
      {"request_before_hello", false, push_before_hello, "invalid_argument"},
      {"server_message_from_client", true, server_message, "invalid_argument"},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, HostileFrameTest, ::testing::ValuesIn(HostileCases()),
                         [](const ::testing::TestParamInfo<HostileCase>& param_info) {
                           return param_info.param.name;
                         });

class IdleTest : public SyncNetTest {
 protected:
  static constexpr milliseconds kTimeout{400};
  void SetUp() override {
    StartService([](server::SyncServiceOptions& o) {
      o.handshake_timeout = kTimeout;
      o.idle_timeout = kTimeout;
    });
    store_.AddTerminal("T-IDLE", "S", "320102");
    credential_ = pki_.IssueTerminal("T-IDLE");
  }
  // Asserts the server closed the connection after about kTimeout (not at once, not much later).
  void ExpectDroppedWithinTimeout(RawTlsClient& client, steady_clock::time_point since) {
    ASSERT_TRUE(client.WaitClosed(kTimeout * 10));
    auto elapsed = steady_clock::now() - since;
    EXPECT_GE(elapsed, kTimeout - milliseconds(50));
    EXPECT_LT(elapsed, kTimeout * 5);
  }
  // ExpectDroppedWithinTimeout, for a session past its handshake: counted as timed out.
  void ExpectTimedOut(RawTlsClient& client, steady_clock::time_point since) {
    ExpectDroppedWithinTimeout(client, since);
    EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.timed_out == 1u; }))
        << "timed_out";
  }
  Credential credential_;
};

TEST_F(IdleTest, TcpClientThatNeverStartsTlsIsDropped) {
  RawTlsClient client(pki_.ca_pem, &credential_);
  auto start = steady_clock::now();
  ASSERT_TRUE(client.ConnectTcp(service_->port()));
  ExpectDroppedWithinTimeout(client, start);
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) {
    return s.handshake_failed == 1u;
  })) << "handshake_failed";
}

TEST_F(IdleTest, TlsClientThatSendsNothingIsDropped) {
  RawTlsClient client(pki_.ca_pem, &credential_);
  ASSERT_TRUE(client.Connect(service_->port()));
  ExpectTimedOut(client, steady_clock::now());
}

TEST_F(IdleTest, ClientThatStopsMidFrameIsDropped) {
  RawTlsClient client(pki_.ca_pem, &credential_);
  ASSERT_TRUE(client.ConnectAndHello(service_->port(), "T-IDLE").has_value());
  Bytes partial = LengthPrefix(100);
  partial.resize(14, 0x0A);  // 10 of the announced 100 bytes
  auto start = steady_clock::now();
  ASSERT_TRUE(client.Write(partial));
  ExpectTimedOut(client, start);
}

TEST_F(IdleTest, SessionThatKeepsTalkingIsNotDropped) {
  RawTlsClient client(pki_.ca_pem, &credential_);
  ASSERT_TRUE(client.ConnectAndHello(service_->port(), "T-IDLE").has_value());
  // Five requests spaced at half the idle timeout span 2.5 timeouts in all (the pause is the
  // behaviour under test, not a synchronization).
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(kTimeout / 2);
    wire::Envelope pull;
    pull.mutable_pull()->set_cursor(0);
    ASSERT_TRUE(client.Send(pull));
    auto page = client.Receive();
    ASSERT_TRUE(page.has_value() && page->has_pull_page()) << "request " << i;
  }
  EXPECT_EQ(service_->stats().timed_out, 0u);
}

TEST_F(SyncNetTest, VersionNegotiation) {
  StartService();
  store_.AddTerminal("T-V", "S", "320102");
  Credential credential = pki_.IssueTerminal("T-V");
  {
    RawTlsClient newer(pki_.ca_pem, &credential);  // a terminal from the future
    auto ack = newer.ConnectAndHello(service_->port(), "T-V", 99);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->protocol_version(), kSyncProtocolVersion);
    EXPECT_EQ(ack->area(), "320102");
    EXPECT_GT(ack->server_time_ms(), 1'600'000'000'000u);
  }
  {
    RawTlsClient zero(pki_.ca_pem, &credential);
    ASSERT_TRUE(zero.Connect(service_->port()));
    ASSERT_TRUE(zero.Send(Hello("T-V", 0)));
    auto reply = zero.Receive();
    ASSERT_TRUE(reply.has_value() && reply->has_error());
    EXPECT_EQ(reply->error().code(), "invalid_argument");
    EXPECT_TRUE(zero.WaitClosed(milliseconds(5000)));
  }
}

TEST_F(SyncNetTest, StopClosesOpenSessionsPromptly) {
  StartService();
  store_.AddTerminal("T-S", "S", "320102");
  Credential credential = pki_.IssueTerminal("T-S");
  std::vector<std::unique_ptr<RawTlsClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawTlsClient>(pki_.ca_pem, &credential));
    ASSERT_TRUE(clients.back()->Connect(service_->port()));
  }
  auto start = steady_clock::now();
  service_->Stop();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(2));
  for (auto& c : clients) EXPECT_TRUE(c->WaitClosed(milliseconds(2000)));
  EXPECT_EQ(service_->port(), 0);
  service_->Stop();  // idempotent
}

TEST_F(SyncNetTest, StartRefusesBadCredentials) {
  server::SyncServiceOptions options = ServiceOptions();
  options.key_pem = EcKey::Generate().PrivatePem();  // not the certificate's key
  server::SyncService service(std::move(options), store_);
  Status s = service.Start();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << s.message();

  server::SyncServiceOptions garbage = ServiceOptions();
  garbage.ca_cert_pem = "not a certificate";
  server::SyncService service2(std::move(garbage), store_);
  EXPECT_EQ(service2.Start().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SyncNetTest, StartReportsAPortInUse) {
  StartService();
  server::SyncServiceOptions options = ServiceOptions();
  options.port = service_->port();
  server::SyncService second(std::move(options), store_);
  Status s = second.Start();
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.message();
}

}  // namespace
}  // namespace onecard::testing
