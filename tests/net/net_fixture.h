// Shared set-up for the sync transport tests: a throw-away PKI (CA, server and terminal
// certificates), a SyncService on a free loopback port over a FakeSyncStore, and a raw TLS client
// for sending bytes that the real client never would. Header-only: tests/net builds only *_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_stores.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/pki.h"
#include "onecard/server/sync_service.h"
#include "onecard/terminal/sync_client.h"

namespace onecard::testing {

// Sync options for loopback tests: short connect and I/O timeouts, a short retry backoff.
inline terminal::SyncOptions QuickOptions() {
  terminal::SyncOptions o;
  o.connect_timeout = std::chrono::seconds(5);
  o.io_timeout = std::chrono::seconds(5);
  o.retry_backoff = std::chrono::milliseconds(20);
  return o;
}

// The Hello a terminal opens its session with.
inline wire::Envelope Hello(const std::string& terminal_id,
                            uint32_t version = kSyncProtocolVersion) {
  wire::Envelope e;
  e.mutable_hello()->set_protocol_version(version);
  e.mutable_hello()->set_terminal_id(terminal_id);
  return e;
}

struct Credential {
  std::string cert_pem;
  std::string key_pem;
};

// A CA with its key, and the server's credential (SANs 127.0.0.1 and localhost unless told).
struct TestPki {
  EcKey ca_key = EcKey::Generate();
  std::string ca_pem = CreateCaCertificate(ca_key, "OneCard Test CA", 30);
  Credential server = IssueServer({"localhost"}, {"127.0.0.1"});

  Credential Issue(const CertificateProfile& profile) {
    EcKey key = EcKey::Generate();
    auto cert = IssueCertificate(ca_key, ca_pem, key, profile);
    ONECARD_CHECK(cert.ok());
    return Credential{*cert, key.PrivatePem()};
  }
  Credential IssueServer(std::vector<std::string> dns, std::vector<std::string> ips) {
    CertificateProfile p;
    p.common_name = "onecard-server";
    p.dns_names = std::move(dns);
    p.ip_addresses = std::move(ips);
    p.for_server = true;
    return Issue(p);
  }
  Credential IssueTerminal(const std::string& terminal_id) {
    CertificateProfile p;
    p.common_name = terminal_id;
    p.for_client = true;
    return Issue(p);
  }
};

class SyncNetTest : public ::testing::Test {
 protected:
  // Starts the service; `adjust` may change the options first (timeouts, limits).
  void StartService(const std::function<void(server::SyncServiceOptions&)>& adjust = {}) {
    server::SyncServiceOptions options = ServiceOptions();
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    if (adjust) adjust(options);
    service_ = std::make_unique<server::SyncService>(std::move(options), store_);
    Status started = service_->Start();
    ASSERT_TRUE(started.ok()) << started.message();
    ASSERT_NE(service_->port(), 0);
  }

  // Options of a service with the test PKI's CA and server credential.
  server::SyncServiceOptions ServiceOptions() const {
    server::SyncServiceOptions options;
    options.ca_cert_pem = pki_.ca_pem;
    options.cert_pem = pki_.server.cert_pem;
    options.key_pem = pki_.server.key_pem;
    return options;
  }

  void TearDown() override {
    if (service_) service_->Stop();
    if (HasFailure()) {
      std::lock_guard lock(log_mu_);
      for (const std::string& line : log_) std::cerr << "server log: " << line << "\n";
    }
  }

  // Enrols `terminal_id` at a site of `area` in the fake store and returns its endpoint.
  terminal::SyncEndpoint Enrol(const std::string& terminal_id, const std::string& area = "320102",
                               const std::string& site_id = "S-320102-01") {
    store_.AddTerminal(terminal_id, site_id, area);
    Credential c = pki_.IssueTerminal(terminal_id);
    terminal::SyncEndpoint e;
    e.host = "127.0.0.1";
    e.port = service_ ? service_->port() : 0;
    e.ca_cert_pem = pki_.ca_pem;
    e.cert_pem = c.cert_pem;
    e.key_pem = c.key_pem;
    e.terminal_id = terminal_id;
    return e;
  }

  // Server counters change on worker threads, possibly just after the client saw the outcome.
  bool StatReaches(const std::function<bool(const server::SyncServiceStats&)>& done,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(service_->stats())) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  bool LogContains(const std::string& text) {
    std::lock_guard lock(log_mu_);
    for (const std::string& line : log_) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

  TestPki pki_;
  FakeSyncStore store_;
  std::unique_ptr<server::SyncService> service_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// A TLS 1.3 client that sends arbitrary bytes and observes what the server does. Every operation
// runs the private io_context for at most its timeout, so a test never hangs on it.
class RawTlsClient {
 public:
  RawTlsClient(const std::string& ca_pem, const Credential* credential)
      : tls_(MakeContext(ca_pem, credential)), stream_(io_, tls_) {}

  // TCP connect only (no handshake).
  bool ConnectTcp(uint16_t port) {
    boost::system::error_code ec;
    stream_.lowest_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return false;
    stream_.lowest_layer().set_option(boost::asio::ip::tcp::no_delay(true), ec);  // no Nagle delays
    return true;
  }
  bool Connect(uint16_t port) {
    if (!ConnectTcp(port)) return false;
    std::optional<boost::system::error_code> result;
    stream_.async_handshake(boost::asio::ssl::stream_base::client,
                            [&](const boost::system::error_code& ec) { result = ec; });
    RunUntil([&] { return result.has_value(); }, std::chrono::seconds(5));
    return result && !*result;
  }
  bool Write(const Bytes& bytes) {
    std::optional<boost::system::error_code> result;
    boost::asio::async_write(stream_, boost::asio::buffer(bytes),
                             [&](const boost::system::error_code& ec, size_t) { result = ec; });
    RunUntil([&] { return result.has_value(); }, std::chrono::seconds(5));
    return result && !*result;
  }
  bool Send(const wire::Envelope& envelope) { return Write(EncodeFrame(envelope)); }
  // Connect(), then Hello as `terminal_id` at `version`: the server's HelloAck, or nullopt when
  // the connection failed or the server answered otherwise (or not).
  std::optional<wire::HelloAck> ConnectAndHello(uint16_t port, const std::string& terminal_id,
                                                uint32_t version = kSyncProtocolVersion) {
    if (!Connect(port) || !Send(Hello(terminal_id, version))) return std::nullopt;
    auto reply = Receive();
    if (!reply || !reply->has_hello_ack()) return std::nullopt;
    return reply->hello_ack();
  }

  // Reads one frame (the server's reply), or nullopt when none arrives within `timeout`. Bytes
  // received beyond that frame (the next pipelined reply) are kept for the next call.
  std::optional<wire::Envelope> Receive(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    Bytes& buffer = received_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      FrameDecodeResult r = DecodeFrame(buffer, kDefaultMaxFrameBytes);
      if (r.state == FrameState::kComplete) {
        buffer.erase(buffer.begin(), buffer.begin() + static_cast<long>(r.consumed));
        return r.envelope;
      }
      if (r.state == FrameState::kBad) return std::nullopt;
      std::array<uint8_t, 4096> chunk;
      std::optional<std::pair<boost::system::error_code, size_t>> result;
      stream_.async_read_some(boost::asio::buffer(chunk), [&](const boost::system::error_code& ec,
                                                              size_t n) { result.emplace(ec, n); });
      RunUntil([&] { return result.has_value(); },
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   deadline - std::chrono::steady_clock::now()));
      if (!result) {
        Abandon();
        return std::nullopt;
      }
      if (result->first) return std::nullopt;
      buffer.insert(buffer.end(), chunk.begin(), chunk.begin() + static_cast<long>(result->second));
    }
    return std::nullopt;
  }

  // True when the server closes the connection within `timeout` (any frames before are skipped).
  bool WaitClosed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<uint8_t, 4096> chunk;
    while (std::chrono::steady_clock::now() < deadline) {
      std::optional<boost::system::error_code> result;
      auto& socket = stream_.next_layer();  // TCP level: sees the close whatever TLS state
      socket.async_read_some(boost::asio::buffer(chunk),
                             [&](const boost::system::error_code& ec, size_t) { result = ec; });
      RunUntil([&] { return result.has_value(); },
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   deadline - std::chrono::steady_clock::now()));
      if (!result) {
        Abandon();
        return false;
      }
      if (*result) return true;
    }
    return false;
  }

 private:
  // Configured before the stream exists: an SSL object copies its context's credentials when made.
  static boost::asio::ssl::context MakeContext(const std::string& ca_pem,
                                               const Credential* credential) {
    boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION);
    tls.add_certificate_authority(boost::asio::buffer(ca_pem));
    tls.set_verify_mode(boost::asio::ssl::verify_peer);
    if (credential != nullptr) {
      tls.use_certificate_chain(boost::asio::buffer(credential->cert_pem));
      tls.use_private_key(boost::asio::buffer(credential->key_pem), boost::asio::ssl::context::pem);
    }
    return tls;
  }

  template <typename Done>
  void RunUntil(Done done, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    io_.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(50));
      if (io_.stopped()) io_.restart();
    }
  }
  // Cancels what is pending and lets the handlers finish, so none outlives its captures.
  void Abandon() {
    boost::system::error_code ignored;
    stream_.lowest_layer().cancel(ignored);
    io_.restart();
    io_.run_for(std::chrono::milliseconds(200));
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  Bytes received_;  // read but not yet returned by Receive
};

}  // namespace onecard::testing
