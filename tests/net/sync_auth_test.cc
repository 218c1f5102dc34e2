// Mutual TLS 1.3 authentication and terminal admission: who is refused, and how.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "net_fixture.h"
#include "onecard/protocol/i18n.h"
#include "process.h"

namespace onecard::testing {
namespace {

using terminal::RunSync;

// Runs one sync of `e` from `local` and expects it refused with `code` (refusals are never
// retried: the run takes one attempt); returns the refusal, Ok when there was none.
Status Refusal(const terminal::SyncEndpoint& e, FakeLocalStore& local, ErrorCode code) {
  auto report = RunSync(e, local, QuickOptions());
  if (report.ok()) {
    ADD_FAILURE() << "the sync was not refused";
    return Status::Ok();
  }
  EXPECT_EQ(report.status().code(), code) << report.status().message();
  return report.status();
}

// Refusal(), for a test that needs nothing more of the refusal.
void ExpectRefused(const terminal::SyncEndpoint& e, FakeLocalStore& local, ErrorCode code) {
  static_cast<void>(Refusal(e, local, code));
}

class SyncAuthTest : public SyncNetTest {
 protected:
  // Expects the sync of `e` refused in the TLS handshake: unauthenticated, nothing ingested, and
  // a failed handshake counted by the server.
  void ExpectRefusedInTheHandshake(const terminal::SyncEndpoint& e, FakeLocalStore& local) {
    ExpectRefused(e, local, ErrorCode::kUnauthenticated);
    EXPECT_EQ(store_.ingest_calls, 0);
    EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) {
      return s.handshake_failed >= 1u;
    })) << "handshake_failed";
  }
  // Expects the server to count exactly one failed handshake (it counts just after the close).
  void ExpectOneFailedHandshake() {
    EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) {
      return s.handshake_failed == 1u;
    })) << "handshake_failed";
  }
};

TEST_F(SyncAuthTest, ClientWithoutCertificateIsRefused) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  e.cert_pem.clear();
  e.key_pem.clear();
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 1, "C");
  ExpectRefusedInTheHandshake(e, local);
  EXPECT_EQ(local.outbox.size(), 1u);
}

TEST_F(SyncAuthTest, CertificateFromAnotherCaIsRefused) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  TestPki other;  // a different CA issuing a certificate with the same CN
  Credential forged = other.IssueTerminal("T-A");
  e.cert_pem = forged.cert_pem;
  e.key_pem = forged.key_pem;
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 1, "C");
  ExpectRefusedInTheHandshake(e, local);
}

TEST_F(SyncAuthTest, ServerCertificateCannotBeUsedAsATerminal) {
  StartService();
  terminal::SyncEndpoint e = Enrol("onecard-server");
  e.cert_pem = pki_.server.cert_pem;  // right CA, but extendedKeyUsage serverAuth only
  e.key_pem = pki_.server.key_pem;
  FakeLocalStore local;
  ExpectRefused(e, local, ErrorCode::kUnauthenticated);
}

// The list consulted by the handshake is reloaded every revocation_refresh: a terminal revoked
// while the service runs is refused with the TLS alert certificate_revoked from the next reload on,
// and the terminal says in words that its certificate was revoked.
TEST_F(SyncAuthTest, RevokedTerminalIsRefusedDuringTheHandshake) {
  StartService(
      [](server::SyncServiceOptions& o) { o.revocation_refresh = std::chrono::milliseconds(20); });
  terminal::SyncEndpoint e = Enrol("T-A");
  FakeLocalStore local;
  ASSERT_TRUE(RunSync(e, local, QuickOptions()).ok());  // admitted before the revocation
  store_.Revoke("T-A");
  // Two more reloads begin: the first of them started after the revocation, and has been applied.
  const int calls = store_.revoked_ids_calls;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (store_.revoked_ids_calls < calls + 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(store_.revoked_ids_calls, calls + 2);
  local.AddEvents("T-A", 1, 1, "C");
  Status refused = Refusal(e, local, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find(Tr("证书已被同步服务器吊销", "certificate was revoked")),
            std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("certificate revoked"), std::string::npos) << refused.message();
  EXPECT_EQ(store_.ingest_calls, 0);
  EXPECT_EQ(local.outbox.size(), 1u);
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.refused == 1u; }))
      << "refused";
  EXPECT_EQ(service_->stats().handshake_failed, 0u);
  EXPECT_TRUE(LogContains(Tr("终端 T-A 已被吊销（TLS 握手时拒绝）",
                             "terminal T-A is revoked (refused during the TLS handshake)")));
}

// Defence in depth: before the next reload, the check after Hello refuses the revoked terminal.
TEST_F(SyncAuthTest, RevokedTerminalIsRefusedAfterHelloBeforeTheNextReload) {
  StartService([](server::SyncServiceOptions& o) { o.revocation_refresh = std::chrono::hours(1); });
  terminal::SyncEndpoint e = Enrol("T-A");
  FakeLocalStore local;
  ASSERT_TRUE(RunSync(e, local, QuickOptions()).ok());
  store_.Revoke("T-A");
  local.AddEvents("T-A", 1, 1, "C");
  Status refused = Refusal(e, local, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("T-A"), std::string::npos);
  EXPECT_EQ(store_.ingest_calls, 0);
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.refused == 1u; }))
      << "refused";
}

TEST_F(SyncAuthTest, UnknownTerminalIsRefused) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  Credential never_enrolled = pki_.IssueTerminal("T-GHOST");
  e.cert_pem = never_enrolled.cert_pem;
  e.key_pem = never_enrolled.key_pem;
  e.terminal_id = "T-GHOST";
  FakeLocalStore local;
  ExpectRefused(e, local, ErrorCode::kPermissionDenied);
}

TEST_F(SyncAuthTest, HelloMustNameTheCertificatesTerminal) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  Enrol("T-B");
  e.terminal_id = "T-B";  // T-A's certificate, claiming to be T-B
  FakeLocalStore local;
  ExpectRefused(e, local, ErrorCode::kPermissionDenied);
}

TEST_F(SyncAuthTest, ClientTrustingAnotherCaRefusesTheServer) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  TestPki other;
  e.ca_cert_pem = other.ca_pem;
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 1, "C");
  ExpectRefused(e, local, ErrorCode::kUnauthenticated);
  EXPECT_EQ(store_.ingest_calls, 0);
}

TEST_F(SyncAuthTest, ClientChecksTheServerName) {
  // A server whose certificate names another host: trusted CA, wrong name.
  pki_.server = pki_.IssueServer({"sync.elsewhere.example"}, {"10.9.8.7"});
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  FakeLocalStore local;
  ExpectRefused(e, local, ErrorCode::kUnauthenticated);
  e.host = "localhost";  // not among the SANs either
  ExpectRefused(e, local, ErrorCode::kUnauthenticated);
}

TEST_F(SyncAuthTest, ClientAcceptsTheServerByDnsName) {
  StartService();
  terminal::SyncEndpoint e = Enrol("T-A");
  e.host = "localhost";
  FakeLocalStore local;
  auto report = RunSync(e, local, QuickOptions());
  ASSERT_TRUE(report.ok()) << report.status().message();
}

// openssl s_client as an independent TLS implementation of the refusals.
class OpenSslClientTest : public SyncAuthTest {
 protected:
  void SetUp() override {
    StartService();
    Credential c = pki_.IssueTerminal("T-A");
    store_.AddTerminal("T-A", "S-A", "320102");
    WriteFile(dir_ / "ca.pem", pki_.ca_pem);
    WriteFile(dir_ / "t.pem", c.cert_pem);
    WriteFile(dir_ / "t.key", c.key_pem);
  }
  RunResult SClient(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {"openssl",
                                     "s_client",
                                     "-connect",
                                     "127.0.0.1:" + std::to_string(service_->port()),
                                     "-CAfile",
                                     dir_ / "ca.pem",
                                     "-verify_return_error",
                                     "-ign_eof",
                                     "-brief"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    RunOptions options;
    options.timeout = std::chrono::seconds(20);
    return ::onecard::testing::Run(argv, options);
  }
  TempDir dir_{"onecard-net"};
};

TEST_F(OpenSslClientTest, Tls13WithCertificateIsAcceptedAsAControl) {
  // The server keeps the session open waiting for Hello until the idle timeout; stdin is empty
  // and -ign_eof keeps s_client reading, so use a short idle timeout for this one.
  service_->Stop();
  StartService(
      [](server::SyncServiceOptions& o) { o.idle_timeout = std::chrono::milliseconds(500); });
  RunResult r = SClient({"-tls1_3", "-cert", dir_ / "t.pem", "-key", dir_ / "t.key"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE((r.out + r.err).find("TLSv1.3"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(service_->stats().handshake_failed, 0u);
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.timed_out == 1u; }))
      << "timed_out";
}

TEST_F(OpenSslClientTest, CertificateFromAnotherCaIsRefused) {
  TestPki other;  // a different CA issuing a certificate with the enrolled terminal's CN
  Credential forged = other.IssueTerminal("T-A");
  WriteFile(dir_ / "forged.pem", forged.cert_pem);
  WriteFile(dir_ / "forged.key", forged.key_pem);
  RunResult r = SClient({"-tls1_3", "-cert", dir_ / "forged.pem", "-key", dir_ / "forged.key"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE((r.out + r.err).find("unknown ca"), std::string::npos) << r.out << r.err;
  ExpectOneFailedHandshake();
  EXPECT_EQ(service_->stats().refused, 0u);
}

TEST_F(OpenSslClientTest, RevokedTerminalsCertificateIsRefusedWithTheAlert) {
  // Revoked before the service starts: the list is loaded before the first connection.
  service_->Stop();
  store_.Revoke("T-A");
  StartService();
  RunResult r = SClient({"-tls1_3", "-cert", dir_ / "t.pem", "-key", dir_ / "t.key"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE((r.out + r.err).find("certificate revoked"), std::string::npos) << r.out << r.err;
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.refused == 1u; }))
      << "refused";
  EXPECT_EQ(service_->stats().handshake_failed, 0u);
}

TEST_F(OpenSslClientTest, Tls12ClientIsRefused) {
  RunResult r = SClient({"-tls1_2", "-cert", dir_ / "t.pem", "-key", dir_ / "t.key"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("protocol version"), std::string::npos) << r.out << r.err;
  ExpectOneFailedHandshake();
}

TEST_F(OpenSslClientTest, ClientWithoutCertificateIsRefused) {
  RunResult r = SClient({"-tls1_3"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("certificate required"), std::string::npos) << r.out << r.err;
  ExpectOneFailedHandshake();
}

}  // namespace
}  // namespace onecard::testing
