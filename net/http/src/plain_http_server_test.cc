// The server over plain HTTP on loopback (the desk): same routes, limits and refusals as over TLS,
// no HSTS, and no listening beyond loopback.
#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http_test_client.h"
#include "onecard/http/response.h"
#include "onecard/http/server.h"
#include "onecard/protocol/i18n.h"

namespace onecard::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::HttpTestClient;

class PlainHttpServerTest : public ::testing::Test {
 protected:
  PlainHttpServerTest() {
    router_.Get("/api/v1/ping/{who}", [](const Request& r) {
      return JsonResponse(StatusCode::ok, {{"who", r.Param("who")}, {"peer", r.peer_address()}});
    });
    router_.Post("/api/v1/echo", [](const Request& r) {
      return JsonResponse(StatusCode::ok, {{"bytes", r.body().size()}});
    });
    ServerLimits limits;
    limits.max_body_bytes = 1024;
    limits.shutdown_timeout = 500ms;
    server_ = std::make_unique<HttpServer>(io_, kPlainLoopback, router_,
                                           ServerOptions{limits, [this](const AccessLogEntry& e) {
                                                           std::lock_guard lock(log_mutex_);
                                                           log_.push_back(e);
                                                         }});
  }
  ~PlainHttpServerTest() override { StopAndJoin(); }

  Result<uint16_t> Listen(std::string_view address) {
    return server_->Listen(asio::ip::tcp::endpoint(asio::ip::make_address(address), 0));
  }

  void Run() {
    io_thread_ = std::thread([this] {
      io_.run();
      io_done_.set_value();
    });
  }

  bool StopAndJoin(std::chrono::milliseconds within = 10s) {
    server_->Stop();
    if (!io_thread_.joinable()) return true;
    bool drained = io_done_.get_future().wait_for(within) == std::future_status::ready;
    if (!drained) io_.stop();
    io_thread_.join();
    return drained;
  }

  Router router_;
  asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  std::thread io_thread_;
  std::promise<void> io_done_;
  std::mutex log_mutex_;
  std::vector<AccessLogEntry> log_;
};

TEST_F(PlainHttpServerTest, ServesOnLoopbackWithSecurityHeadersButNoHsts) {
  auto port = Listen("127.0.0.1");
  ASSERT_TRUE(port.ok()) << port.status().message();
  Run();
  HttpTestClient client(*port);
  ASSERT_TRUE(client.Connect().ok());
  auto response = client.Get("/api/v1/ping/%E5%B9%BF%E5%B7%9E");
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->result(), StatusCode::ok);
  auto body = nlohmann::json::parse(response->body());
  EXPECT_EQ(body["who"], "广州");
  EXPECT_EQ(body["peer"], "127.0.0.1");
  EXPECT_EQ(response->find("Strict-Transport-Security"), response->end());
  EXPECT_NE(std::string((*response)["Content-Security-Policy"]).find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ((*response)["X-Frame-Options"], "DENY");
  EXPECT_EQ((*response)["Referrer-Policy"], "no-referrer");
  EXPECT_EQ((*response)["Cache-Control"], "no-store");
  EXPECT_TRUE(response->keep_alive());
  auto again = client.Get("/api/v1/nothing");  // the same connection
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->result(), StatusCode::not_found);
  EXPECT_EQ(server_->counters().accepted, 1u);
  EXPECT_EQ(server_->counters().handshake_failed, 0u);
  ASSERT_TRUE(StopAndJoin());
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(log_[0].path, "/api/v1/ping/%E5%B9%BF%E5%B7%9E");
  EXPECT_EQ(log_[0].status, 200u);
}

TEST_F(PlainHttpServerTest, RefusesEveryAddressButLoopback) {
  const Language saved = CurrentLanguage();
  SetLanguage(Language::kEn);
  for (const char* address : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "::ffff:127.0.0.1"}) {
    auto port = Listen(address);
    ASSERT_FALSE(port.ok()) << address;
    EXPECT_EQ(port.status().code(), ErrorCode::kInvalidArgument) << address;
    EXPECT_NE(port.status().message().find("loopback"), std::string::npos)
        << port.status().message();
    EXPECT_NE(port.status().message().find(address), std::string::npos) << port.status().message();
  }
  SetLanguage(Language::kZh);
  auto zh = Listen("0.0.0.0");
  ASSERT_FALSE(zh.ok());
  EXPECT_NE(zh.status().message().find("回环"), std::string::npos) << zh.status().message();
  SetLanguage(saved);
  // A refusal leaves the server able to listen where it may.
  auto port = Listen("127.0.0.2");
  ASSERT_TRUE(port.ok()) << port.status().message();
  Run();
  HttpTestClient client(*port, "127.0.0.2");
  ASSERT_TRUE(client.Connect().ok());
  auto response = client.Get("/api/v1/ping/a");
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->result(), StatusCode::ok);
}

TEST_F(PlainHttpServerTest, ListensOnIpv6LoopbackWhereThereIsOne) {
  auto port = Listen("::1");
  if (!port.ok() && port.status().code() == ErrorCode::kUnavailable)
    GTEST_SKIP() << "no IPv6 loopback here: " << port.status().message();
  ASSERT_TRUE(port.ok()) << port.status().message();
  Run();
  HttpTestClient client(*port, "::1");
  ASSERT_TRUE(client.Connect().ok());
  auto response = client.Get("/api/v1/ping/b");
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(nlohmann::json::parse(response->body())["peer"], "::1");
}

TEST_F(PlainHttpServerTest, RefusesOversizedBodiesAndGarbageAsOverTls) {
  auto port = Listen("127.0.0.1");
  ASSERT_TRUE(port.ok()) << port.status().message();
  Run();
  HttpTestClient client(*port);
  ASSERT_TRUE(client.Connect().ok());
  RawRequest large(Method::post, "/api/v1/echo", 11);
  large.body() = std::string(100 * 1024, 'x');  // the 413 must arrive despite the unread rest
  auto refused = client.Send(large);
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->result(), StatusCode::payload_too_large);
  EXPECT_EQ(refused->find("Strict-Transport-Security"), refused->end());
  EXPECT_TRUE(client.WaitForClose(3s));

  HttpTestClient garbage(*port);
  ASSERT_TRUE(garbage.Connect().ok());
  ASSERT_TRUE(garbage.WriteRaw("THIS IS NOT HTTP\x01\r\n\r\n").ok());
  auto bad = garbage.ReadResponse();
  ASSERT_TRUE(bad.ok()) << bad.status().message();
  EXPECT_EQ(bad->result(), StatusCode::bad_request);
  EXPECT_TRUE(garbage.WaitForClose(3s));
  EXPECT_EQ(server_->counters().rejected, 2u);
}

TEST_F(PlainHttpServerTest, StopClosesIdleConnectionsAndDrains) {
  auto port = Listen("127.0.0.1");
  ASSERT_TRUE(port.ok()) << port.status().message();
  Run();
  HttpTestClient idle(*port);
  ASSERT_TRUE(idle.Connect().ok());
  ASSERT_TRUE(idle.Get("/api/v1/ping/c").ok());
  auto stopped_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(StopAndJoin(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 2s);
  EXPECT_TRUE(idle.WaitForClose(1s));
}

}  // namespace
}  // namespace onecard::http
