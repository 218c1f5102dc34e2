// The server over real TLS on loopback, driven by a Beast client (testing/https_test_client.h).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "https_test_client.h"
#include "onecard/http/response.h"
#include "onecard/http/server.h"
#include "onecard/http/static_assets.h"
#include "onecard/net/tls_https_context.h"
#include "test_assets.h"
#include "test_pki.h"

namespace onecard::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::HttpsTestClient;

ServerLimits TestLimits() {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  limits.max_header_count = 20;
  limits.max_header_bytes = 4096;
  limits.header_timeout = 2s;
  limits.request_timeout = 4s;
  limits.idle_timeout = 5s;
  limits.shutdown_timeout = 500ms;
  return limits;
}

class HttpsServerTest : public ::testing::Test {
 protected:
  HttpsServerTest() : pki_(testing::MakeTestPki()), assets_(testing::TestAssets()) {
    router_.Get("/api/v1/counts/{area}", [](const Request& r) {
      return JsonResponse(StatusCode::ok,
                          {{"area", r.Param("area")}, {"by", r.query().Get("by").value_or("")}});
    });
    router_.Post("/api/v1/echo", [](const Request& r) {
      return JsonResponse(StatusCode::ok, {{"bytes", r.body().size()}});
    });
    router_.Get("/api/v1/export.csv", [](const Request&) {
      return CsvResponse({{"地区", "备注"}, {"4401", "=cmd|' /C calc'!A0"}},
                         CsvOptions{.utf8_bom = true}, "counts.csv");
    });
    router_.Post("/api/v1/login", [](const Request& r) {
      Response response =
          JsonResponse(StatusCode::ok, {{"had_cookie", r.cookies().count("sid") > 0}});
      response.set(beast_http::field::set_cookie,
                   *FormatSetCookie(SetCookie{.name = "sid", .value = "n3w"}));
      return response;
    });
    assets_.AddRoutes(router_, "/");
  }

  ~HttpsServerTest() override { StopAndJoin(); }

  void Start(ServerLimits limits = TestLimits()) {
    auto tls = net::MakeHttpsContextFromPem(pki_.server_cert_pem, pki_.server_key_pem);
    ASSERT_TRUE(tls.ok()) << tls.status().message();
    tls_ = std::move(tls).value();
    ServerOptions options{limits, [this](const AccessLogEntry& entry) {
                            std::lock_guard lock(log_mutex_);
                            log_.push_back(entry);
                          }};
    server_ = std::make_unique<HttpServer>(io_, *tls_, router_, options);
    auto port = server_->Listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    io_thread_ = std::thread([this] {
      io_.run();
      io_done_.set_value();
    });
  }

  // Stops the server; true when io.run() returned (every connection closed) within `within`.
  bool StopAndJoin(std::chrono::milliseconds within = 10s) {
    if (!io_thread_.joinable()) return true;
    server_->Stop();
    bool drained = io_done_.get_future().wait_for(within) == std::future_status::ready;
    if (!drained) io_.stop();
    io_thread_.join();
    return drained;
  }

  std::unique_ptr<HttpsTestClient> Connected() {
    auto client = std::make_unique<HttpsTestClient>(port_, pki_.ca_cert_pem);
    Status status = client->Connect();
    EXPECT_TRUE(status.ok()) << status.message();
    return client;
  }

  testing::TestPki pki_;
  StaticAssets assets_;
  Router router_;
  asio::io_context io_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::thread io_thread_;
  std::promise<void> io_done_;
  std::mutex log_mutex_;
  std::vector<AccessLogEntry> log_;
};

// The server's timed_out counter once it reaches `expected` (or after 2 s): the server counts a cut
// connection just after closing it, so the client can see the close first.
uint64_t TimedOutEventually(const HttpServer& server, uint64_t expected) {
  auto until = std::chrono::steady_clock::now() + 2s;
  while (server.counters().timed_out < expected && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  return server.counters().timed_out;
}

// The response of an exchange that must succeed; a failed one fails the test and reads as a 500.
Response Answered(Result<Response> exchange) {
  EXPECT_TRUE(exchange.ok()) << exchange.status().message();
  if (!exchange.ok()) return Response(StatusCode::internal_server_error, 11);
  return std::move(exchange).value();
}

nlohmann::json JsonOf(const Response& response) { return nlohmann::json::parse(response.body()); }

void ExpectSecurityHeaders(const Response& response, std::string_view cache_control = "no-store") {
  EXPECT_EQ(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
  std::string csp(response["Content-Security-Policy"]);
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["Cache-Control"], cache_control);
}

TEST_F(HttpsServerTest, RoutesOverTlsWithSecurityHeadersAndKeepAlive) {
  Start();
  auto client = Connected();
  Response counts =
      Answered(client->Get("/api/v1/counts/%E5%B9%BF%E5%B7%9E?by=%E6%80%A7%E5%88%AB"));
  EXPECT_EQ(counts.result(), StatusCode::ok);
  EXPECT_EQ(JsonOf(counts)["area"], "广州");
  EXPECT_EQ(JsonOf(counts)["by"], "性别");
  EXPECT_EQ(counts[beast_http::field::content_type], "application/json; charset=utf-8");
  ExpectSecurityHeaders(counts);
  EXPECT_TRUE(counts.keep_alive());

  Response missing = Answered(client->Get("/api/v2/nothing"));  // same connection
  EXPECT_EQ(missing.result(), StatusCode::not_found);
  ExpectSecurityHeaders(missing);

  Response wrong = Answered(client->Send(RawRequest(Method::put, "/api/v1/counts/4401", 11)));
  EXPECT_EQ(wrong.result(), StatusCode::method_not_allowed);
  EXPECT_EQ(wrong[beast_http::field::allow], "GET, HEAD");
  EXPECT_EQ(server_->counters().accepted, 1u);
}

TEST_F(HttpsServerTest, CsvExportIsExcelReadyAndNeutralised) {
  Start();
  Response csv = Answered(Connected()->Get("/api/v1/export.csv"));
  EXPECT_EQ(csv[beast_http::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body(), "\xEF\xBB\xBF地区,备注\r\n4401,'=cmd|' /C calc'!A0\r\n");
  ExpectSecurityHeaders(csv);
}

TEST_F(HttpsServerTest, StaticAssetRevalidatesWith304) {
  Start();
  auto client = Connected();
  Response page = Answered(client->Get("/"));
  EXPECT_EQ(page.result(), StatusCode::ok);
  EXPECT_EQ(page[beast_http::field::content_type], "text/html; charset=utf-8");
  ExpectSecurityHeaders(page, "no-cache");
  std::string etag(page[beast_http::field::etag]);
  ASSERT_FALSE(etag.empty());

  RawRequest again(Method::get, "/index.html", 11);
  again.set(beast_http::field::if_none_match, etag);
  Response cached = Answered(client->Send(again));
  EXPECT_EQ(cached.result(), StatusCode::not_modified);
  EXPECT_TRUE(cached.body().empty());
  EXPECT_EQ(cached[beast_http::field::etag], etag);

  Response script = Answered(client->Get("/app.js"));  // the connection survived the 304
  EXPECT_EQ(script[beast_http::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(HttpsServerTest, BodyOverTheLimitIs413AndTheConnectionCloses) {
  Start();
  auto client = Connected();
  RawRequest small(Method::post, "/api/v1/echo", 11);
  small.body() = std::string(1024, 'x');
  Response fits = Answered(client->Send(small));
  EXPECT_EQ(JsonOf(fits)["bytes"], 1024);

  RawRequest large(Method::post, "/api/v1/echo", 11);
  large.body() = std::string(100 * 1024, 'x');  // far more than is read: the 413 must still arrive
  Response refused = Answered(client->Send(large));
  EXPECT_EQ(refused.result(), StatusCode::payload_too_large);
  EXPECT_EQ(JsonOf(refused)["error"]["code"], "payload_too_large");
  ExpectSecurityHeaders(refused);
  EXPECT_FALSE(refused.keep_alive());
  EXPECT_TRUE(client->WaitForClose(3s));
}

TEST_F(HttpsServerTest, TooManyOrTooLargeHeadersAre431) {
  Start();
  RawRequest many(Method::get, "/api/v1/counts/1", 11);
  for (int i = 0; i < 25; ++i) many.insert("X-Filler-" + std::to_string(i), "1");
  auto client = Connected();
  Response refused = Answered(client->Send(many));
  EXPECT_EQ(refused.result(), StatusCode::request_header_fields_too_large);
  EXPECT_NE(JsonOf(refused)["error"]["message"].get<std::string>().find("20"), std::string::npos);
  EXPECT_TRUE(client->WaitForClose(3s));

  RawRequest huge(Method::get, "/api/v1/counts/1", 11);
  huge.set("X-Huge", std::string(5000, 'a'));
  Response too_large = Answered(Connected()->Send(huge));
  EXPECT_EQ(too_large.result(), StatusCode::request_header_fields_too_large);

  RawRequest exactly(Method::get, "/api/v1/counts/1", 11);
  for (int i = 0; i < 18; ++i)
    exactly.insert("X-Filler-" + std::to_string(i), "1");  // + Host, Content-Length
  Response fits = Answered(Connected()->Send(exactly));
  EXPECT_EQ(fits.result(), StatusCode::ok);
}

TEST_F(HttpsServerTest, SlowClientIsCutAtTheHeaderDeadlineWhileOthersAreServed) {
  Start();
  auto slow = Connected();
  std::atomic<bool> slow_closed{false};
  auto started = std::chrono::steady_clock::now();
  std::chrono::milliseconds cut_after{0};
  std::thread trickle([&] {
    std::string request =
        "GET /api/v1/counts/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaa\r\n\r\n";
    for (char byte : request) {  // one byte a second
      if (!slow->WriteRaw(std::string_view(&byte, 1)).ok() || slow->WaitForClose(1s)) break;
    }
    cut_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    slow_closed = true;
  });
  std::this_thread::sleep_for(500ms);
  auto fast_started = std::chrono::steady_clock::now();
  auto fast = Connected()->Get("/api/v1/counts/2");
  auto fast_took = std::chrono::steady_clock::now() - fast_started;
  bool slow_open_meanwhile = !slow_closed;
  trickle.join();

  ASSERT_TRUE(fast.ok()) << fast.status().message();
  EXPECT_EQ(fast->result(), StatusCode::ok);
  EXPECT_LT(fast_took, 1s);
  EXPECT_TRUE(slow_open_meanwhile);
  EXPECT_TRUE(slow_closed);
  EXPECT_GE(cut_after, 1900ms);  // header_timeout is 2 s from the first byte
  EXPECT_LT(cut_after, 4s);
  EXPECT_EQ(TimedOutEventually(*server_, 1), 1u);
}

TEST_F(HttpsServerTest, SlowBodyIsCutAtTheWholeRequestDeadline) {
  ServerLimits limits = TestLimits();
  limits.header_timeout = 1s;
  limits.request_timeout = 2s;
  Start(limits);
  auto client = Connected();
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(client
                  ->WriteRaw("POST /api/v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                             "100\r\n\r\n0123456789")
                  .ok());
  EXPECT_TRUE(client->WaitForClose(5s));  // 90 body bytes never come
  auto cut_after = std::chrono::steady_clock::now() - started;
  EXPECT_GE(cut_after, 1900ms);  // not the 1 s header deadline: the header was complete
  EXPECT_LT(cut_after, 4s);
  EXPECT_EQ(TimedOutEventually(*server_, 1), 1u);
  EXPECT_EQ(server_->counters().requests, 0u);
}

TEST_F(HttpsServerTest, GarbageIs400AndClosesButBadEncodingKeepsTheConnection) {
  Start();
  auto client = Connected();
  Response bad_target = Answered(client->Get("/api/v1/counts/%E4%ZZ"));
  EXPECT_EQ(bad_target.result(), StatusCode::bad_request);
  Response bad_utf8 = Answered(client->Get("/api/v1/counts/%FF%FE"));
  EXPECT_EQ(bad_utf8.result(), StatusCode::bad_request);
  EXPECT_EQ(JsonOf(bad_utf8)["error"]["code"], "bad_request");
  Response after = Answered(client->Get("/api/v1/counts/1"));  // the same connection still serves
  EXPECT_EQ(after.result(), StatusCode::ok);

  ASSERT_TRUE(client->WriteRaw("THIS IS NOT HTTP\x01\r\n\r\n").ok());
  Response garbage = Answered(client->ReadResponse());
  EXPECT_EQ(garbage.result(), StatusCode::bad_request);
  EXPECT_EQ(JsonOf(garbage)["error"]["code"], "bad_request");
  ExpectSecurityHeaders(garbage);
  EXPECT_TRUE(client->WaitForClose(3s));
  EXPECT_EQ(Connected()->Get("/api/v1/counts/1")->result(), StatusCode::ok);  // the server lives on
}

TEST_F(HttpsServerTest, PlainTcpClientFailsTheHandshakeCleanly) {
  Start();
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  asio::write(socket, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  boost::system::error_code ec;
  std::string received(256, '\0');
  size_t n = asio::read(socket, asio::buffer(received), ec);  // until the server closes
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(received.substr(0, std::min<size_t>(n, 4)).find("HTTP"),
            std::string::npos);  // no plain answer
  EXPECT_EQ(server_->counters().handshake_failed, 1u);
  EXPECT_EQ(Connected()->Get("/api/v1/counts/1")->result(), StatusCode::ok);
}

TEST_F(HttpsServerTest, CookiesInAndOutAndNeverLogged) {
  Start();
  RawRequest login(Method::post, "/api/v1/login?token=SECRETQUERY", 11);
  login.set(beast_http::field::cookie, "theme=dark; sid=SECRETCOOKIE");
  login.body() = "password=SECRETBODY";
  Response response = Answered(Connected()->Send(login));
  EXPECT_EQ(JsonOf(response)["had_cookie"], true);
  EXPECT_EQ(response[beast_http::field::set_cookie],
            "sid=n3w; Path=/; Secure; HttpOnly; SameSite=Strict");
  ASSERT_TRUE(StopAndJoin());
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0].method, "POST");
  EXPECT_EQ(log_[0].path, "/api/v1/login");
  EXPECT_EQ(log_[0].status, 200u);
  EXPECT_EQ(log_[0].remote.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(HttpsServerTest, ConnectionsBeyondTheLimitAreRefused) {
  ServerLimits limits = TestLimits();
  limits.max_connections = 2;
  Start(limits);
  auto a = Connected();
  auto b = Connected();
  ASSERT_EQ(a->Get("/api/v1/counts/1")->result(), StatusCode::ok);
  ASSERT_EQ(b->Get("/api/v1/counts/1")->result(), StatusCode::ok);
  HttpsTestClient third(port_, pki_.ca_cert_pem, 3s);
  EXPECT_FALSE(third.Connect().ok());
  EXPECT_EQ(server_->counters().refused, 1u);
  EXPECT_EQ(server_->counters().active, 2u);
}

TEST_F(HttpsServerTest, StopClosesIdleConnectionsAndDrains) {
  Start();
  auto idle = Connected();
  ASSERT_EQ(idle->Get("/api/v1/counts/1")->result(), StatusCode::ok);
  auto stopped_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(StopAndJoin(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 3s);  // not the 5 s idle timeout
  EXPECT_TRUE(idle->WaitForClose(1s));
  HttpsTestClient late(port_, pki_.ca_cert_pem, 2s);
  EXPECT_FALSE(late.Connect().ok());
}

TEST(HttpsContextTest, ReadsPemFilesAndRefusesBadOnes) {
  testing::TestPki pki = testing::MakeTestPki();
  std::string dir = ::testing::TempDir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::string path = dir + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return path;
  };
  std::string cert = write("http_cert.pem", pki.server_cert_pem);
  std::string key = write("http_key.pem", pki.server_key_pem);
  EXPECT_TRUE(net::MakeHttpsContext(cert, key).ok());
  auto missing = net::MakeHttpsContext(dir + "/no_such.pem", key);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no_such.pem"), std::string::npos);
  std::string other_key = write("http_other_key.pem", testing::MakeTestPki().server_key_pem);
  auto mismatched = net::MakeHttpsContext(cert, other_key);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(net::MakeHttpsContextFromPem("not a certificate", pki.server_key_pem).ok());
}

}  // namespace
}  // namespace onecard::http
