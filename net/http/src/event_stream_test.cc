// Event streams over real sockets on loopback: plain HTTP (the desk) and one over TLS.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "http_test_client.h"
#include "https_test_client.h"
#include "onecard/http/event_channel.h"
#include "onecard/http/response.h"
#include "onecard/http/server.h"
#include "onecard/net/tls_https_context.h"
#include "test_pki.h"

namespace onecard::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HttpTestClient;

struct SeenEvent {
  std::string id, name, data;
};

// Reads an event stream as a browser's EventSource would: the head, then the chunked body, split
// into events (a blank line ends each) and heartbeats (comment lines). Over plain HTTP
// (HttpTestClient) or TLS (HttpsTestClient).
template <typename Client>
class BasicSseClient {
 public:
  explicit BasicSseClient(std::unique_ptr<Client> client) : client_(std::move(client)) {}

  // Sends the GET and reads the head; "" when it did not arrive within 5 s.
  std::string Open(std::string_view path, std::string_view last_event_id = {}) {
    std::string request = "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    request += "Accept: text/event-stream\r\n";
    if (!last_event_id.empty()) request += "Last-Event-ID: " + std::string(last_event_id) + "\r\n";
    EXPECT_TRUE(client_->WriteRaw(request + "\r\n").ok());
    Pump([this] { return raw_.find("\r\n\r\n") != std::string::npos; }, 5s);
    size_t end = raw_.find("\r\n\r\n");
    if (end == std::string::npos) return "";
    std::string head = raw_.substr(0, end + 4);
    raw_.erase(0, end + 4);
    in_body_ = true;
    Dechunk();
    return head;
  }

  // Reads until `count` events have arrived (true) or `within` passed.
  bool WaitForEvents(size_t count, std::chrono::milliseconds within) {
    return Pump([&] { return events_.size() >= count; }, within);
  }
  bool WaitForHeartbeat(std::chrono::milliseconds within) {
    return Pump([&] { return heartbeats_ > 0; }, within);
  }
  // True when the stream ended soundly (the last chunk) and the server closed, within `within`.
  bool WaitForEnd(std::chrono::milliseconds within) {
    return Pump([&] { return closed_; }, within) && ended_;
  }

  const std::vector<SeenEvent>& events() const { return events_; }
  int heartbeats() const { return heartbeats_; }
  bool closed() const { return closed_; }

 private:
  template <typename Done>
  bool Pump(Done done, std::chrono::milliseconds within) {
    auto until = Clock::now() + within;
    while (!done()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (closed_ || left <= 0ms) return false;
      Result<std::string> got = client_->ReadSome(left);
      if (!got.ok()) {
        closed_ = got.status().code() == ErrorCode::kUnavailable;
        continue;
      }
      raw_ += *got;
      Dechunk();
    }
    return true;
  }

  // Moves whole chunks from raw_ into body_, then whole blocks from body_ into events.
  void Dechunk() {
    if (!in_body_) return;
    for (;;) {
      size_t line_end = raw_.find("\r\n");
      if (line_end == std::string::npos) break;
      size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
      if (raw_.size() < line_end + 2 + size + 2) break;
      if (size == 0) ended_ = true;
      body_ += raw_.substr(line_end + 2, size);
      raw_.erase(0, line_end + 2 + size + 2);
    }
    for (size_t end; (end = body_.find("\n\n")) != std::string::npos;) {
      std::string block = body_.substr(0, end + 1);
      body_.erase(0, end + 2);
      if (block.rfind(":", 0) == 0) {
        ++heartbeats_;
        continue;
      }
      SeenEvent event;
      for (size_t start = 0; start < block.size();) {
        size_t nl = block.find('\n', start);
        std::string line = block.substr(start, nl - start);
        start = nl + 1;
        if (line.rfind("id: ", 0) == 0) event.id = line.substr(4);
        if (line.rfind("event: ", 0) == 0) event.name = line.substr(7);
        if (line.rfind("data: ", 0) == 0)
          event.data += (event.data.empty() ? "" : "\n") + line.substr(6);
      }
      events_.push_back(event);
    }
  }

  std::unique_ptr<Client> client_;
  bool in_body_ = false;  // the head has been read
  std::string raw_;       // received, not yet dechunked
  std::string body_;      // dechunked, not yet a whole event
  std::vector<SeenEvent> events_;
  int heartbeats_ = 0;
  bool ended_ = false;   // the last chunk arrived
  bool closed_ = false;  // the server closed the connection
};

// A plain-HTTP event stream client on `port`; `receive_buffer` as HttpTestClient::Connect.
class SseClient : public BasicSseClient<HttpTestClient> {
 public:
  explicit SseClient(uint16_t port, int receive_buffer = 0)
      : BasicSseClient(Connected(port, receive_buffer)) {}

 private:
  static std::unique_ptr<HttpTestClient> Connected(uint16_t port, int receive_buffer) {
    auto client = std::make_unique<HttpTestClient>(port);
    Status connected = client->Connect(receive_buffer);
    EXPECT_TRUE(connected.ok()) << connected.message();
    return client;
  }
};

ServerLimits StreamLimits() {
  ServerLimits limits;
  limits.event_stream_heartbeat = 10s;
  limits.shutdown_timeout = 500ms;
  return limits;
}

class EventStreamTest : public ::testing::Test {
 protected:
  EventStreamTest() : channel_(std::make_shared<EventChannel>(4)) {
    router_.Stream("/api/v1/events", [this](const Request&) { return channel_; });
    router_.Stream("/api/v1/private-events",
                   [](const Request&) -> Result<std::shared_ptr<EventChannel>> {
                     return Status(ErrorCode::kUnauthenticated, "sign in first");
                   });
    router_.Get("/api/v1/ping", [](const Request&) { return JsonResponse(StatusCode::ok, {}); });
  }
  ~EventStreamTest() override { StopAndJoin(); }

  void Start(ServerLimits limits = StreamLimits()) {
    server_ = std::make_unique<HttpServer>(io_, kPlainLoopback, router_, Options(limits));
    Listen();
  }
  void StartTls(ServerLimits limits = StreamLimits()) {
    auto tls = net::MakeHttpsContextFromPem(pki_.server_cert_pem, pki_.server_key_pem);
    ASSERT_TRUE(tls.ok()) << tls.status().message();
    tls_ = std::move(tls).value();
    server_ = std::make_unique<HttpServer>(io_, *tls_, router_, Options(limits));
    Listen();
  }

  ServerOptions Options(ServerLimits limits) {
    return {limits, [this](const AccessLogEntry& entry) {
              std::lock_guard lock(log_mutex_);
              log_.push_back(entry);
            }};
  }
  void Listen() {
    auto port = server_->Listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    io_thread_ = std::thread([this] {
      io_.run();
      io_done_.set_value();
    });
  }

  bool StopAndJoin(std::chrono::milliseconds within = 10s) {
    if (!io_thread_.joinable()) return true;
    server_->Stop();
    bool drained = io_done_.get_future().wait_for(within) == std::future_status::ready;
    if (!drained) io_.stop();
    io_thread_.join();
    return drained;
  }

  // Waits (bounded) until `counter` of the server's counters reaches `expected`.
  bool CounterReaches(uint64_t ServerCounters::*counter, uint64_t expected,
                      std::chrono::milliseconds within = 3s) {
    auto until = Clock::now() + within;
    while (server_->counters().*counter != expected && Clock::now() < until)
      std::this_thread::sleep_for(5ms);
    return server_->counters().*counter == expected;
  }

  testing::TestPki pki_ = testing::MakeTestPki();
  std::shared_ptr<EventChannel> channel_;
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

TEST_F(EventStreamTest, DeliversEventsPublishedAfterConnectingInOrderWithIds) {
  Start();
  channel_->Publish("before", "not for this client");
  SseClient client(port_);
  std::string head = client.Open("/api/v1/events");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_EQ(head.find("Strict-Transport-Security"), std::string::npos);
  EXPECT_NE(head.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_EQ(server_->counters().active_streams, 1u);

  EXPECT_EQ(channel_->Publish("card.inserted", R"({"reader":"r1"})"), 2u);
  EXPECT_EQ(channel_->Publish("sync.finished", "line one\nline two"), 3u);
  EXPECT_EQ(channel_->Publish("", "plain"), 4u);
  ASSERT_TRUE(client.WaitForEvents(3, 5s));
  const auto& seen = client.events();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].id, "2");
  EXPECT_EQ(seen[0].name, "card.inserted");
  EXPECT_EQ(seen[0].data, R"({"reader":"r1"})");
  EXPECT_EQ(seen[1].id, "3");
  EXPECT_EQ(seen[1].data, "line one\nline two");
  EXPECT_EQ(seen[2].id, "4");
  EXPECT_EQ(seen[2].name, "");
}

TEST_F(EventStreamTest, EveryOpenStreamGetsEveryEvent) {
  Start();
  SseClient first(port_);
  SseClient second(port_);
  ASSERT_FALSE(first.Open("/api/v1/events").empty());
  ASSERT_FALSE(second.Open("/api/v1/events").empty());
  std::thread publisher([this] {
    for (int i = 0; i < 3; ++i) channel_->Publish("tick", std::to_string(i));
  });
  publisher.join();
  ASSERT_TRUE(first.WaitForEvents(3, 5s));
  ASSERT_TRUE(second.WaitForEvents(3, 5s));
  for (const SseClient* client : {&first, &second}) {
    ASSERT_EQ(client->events().size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(client->events()[i].id, std::to_string(i + 1));
      EXPECT_EQ(client->events()[i].data, std::to_string(i));
    }
  }
  EXPECT_EQ(server_->counters().active_streams, 2u);
}

TEST_F(EventStreamTest, ReconnectWithLastEventIdGetsExactlyTheMissedEvents) {
  ServerLimits limits = StreamLimits();
  limits.event_stream_heartbeat = 200ms;  // finds out the lost connection
  Start(limits);
  {
    SseClient before(port_);
    ASSERT_FALSE(before.Open("/api/v1/events").empty());
    channel_->Publish("n", "1");
    channel_->Publish("n", "2");
    ASSERT_TRUE(before.WaitForEvents(2, 5s));
    EXPECT_EQ(before.events().back().id, "2");
  }  // the tab lost its connection: the server finds out at its next write (a heartbeat)
  ASSERT_TRUE(CounterReaches(&ServerCounters::active_streams, 0));
  channel_->Publish("n", "3");
  channel_->Publish("n", "4");
  SseClient again(port_);
  ASSERT_FALSE(again.Open("/api/v1/events", "2").empty());
  channel_->Publish("n", "5");
  ASSERT_TRUE(again.WaitForEvents(3, 5s));
  std::vector<std::string> ids;
  for (const SeenEvent& e : again.events()) ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"3", "4", "5"}));

  // Away longer than the channel holds (4 events): the held ones, nothing invented.
  for (int i = 6; i <= 10; ++i) channel_->Publish("n", std::to_string(i));
  SseClient late(port_);
  ASSERT_FALSE(late.Open("/api/v1/events", "2").empty());
  ASSERT_TRUE(late.WaitForEvents(4, 5s));
  EXPECT_EQ(late.events().front().id, "7");
  EXPECT_EQ(late.events().back().id, "10");
  EXPECT_FALSE(late.WaitForEvents(5, 300ms));
  // The open stream follows too; a burst larger than the channel holds may outrun its writer,
  // which then skips the events no longer held (ids say so): it ends with 10 either way.
  EXPECT_TRUE(again.WaitForEvents(3 + 4, 2s));
  EXPECT_EQ(again.events().back().id, "10");
}

TEST_F(EventStreamTest, HeartbeatArrivesWithinTheInterval) {
  ServerLimits limits = StreamLimits();
  limits.event_stream_heartbeat = 300ms;
  Start(limits);
  SseClient client(port_);
  ASSERT_FALSE(client.Open("/api/v1/events").empty());
  auto opened = Clock::now();
  ASSERT_TRUE(client.WaitForHeartbeat(2s));
  auto after = Clock::now() - opened;
  EXPECT_GE(after, 200ms);  // not sooner than asked for
  EXPECT_LT(after, 1s);
  EXPECT_TRUE(client.events().empty());
  channel_->Publish("n", "still here");  // heartbeats do not stop events
  EXPECT_TRUE(client.WaitForEvents(1, 2s));
}

TEST_F(EventStreamTest, ClosingTheChannelEndsTheStreamAndLogsItOnce) {
  Start();
  SseClient client(port_);
  ASSERT_FALSE(client.Open("/api/v1/events?tab=2").empty());
  channel_->Publish("last", "words");
  channel_->Close();
  EXPECT_TRUE(client.WaitForEnd(3s));
  ASSERT_EQ(client.events().size(), 1u);  // what was published before Close is still sent
  EXPECT_EQ(client.events()[0].data, "words");
  ASSERT_TRUE(CounterReaches(&ServerCounters::active_streams, 0));
  SseClient later(port_);  // a closed channel ends a new stream at once
  ASSERT_FALSE(later.Open("/api/v1/events").empty());
  EXPECT_TRUE(later.WaitForEnd(3s));
  ASSERT_TRUE(StopAndJoin());
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(log_[0].method, "GET");
  EXPECT_EQ(log_[0].path, "/api/v1/events");
  EXPECT_EQ(log_[0].status, 200u);
  EXPECT_EQ(server_->counters().requests, 2u);
}

TEST_F(EventStreamTest, StreamEndsAfterItsLifetime) {
  ServerLimits limits = StreamLimits();
  limits.event_stream_lifetime = 400ms;
  Start(limits);
  SseClient client(port_);
  ASSERT_FALSE(client.Open("/api/v1/events").empty());
  auto opened = Clock::now();
  EXPECT_TRUE(client.WaitForEnd(3s));
  EXPECT_GE(Clock::now() - opened, 300ms);
}

TEST_F(EventStreamTest, StopEndsOpenStreamsPromptly) {
  Start();
  SseClient client(port_);
  SseClient other(port_);
  ASSERT_FALSE(client.Open("/api/v1/events").empty());
  ASSERT_FALSE(other.Open("/api/v1/events").empty());
  auto stopped_at = Clock::now();
  EXPECT_TRUE(StopAndJoin(2s));
  EXPECT_LT(Clock::now() - stopped_at, 2s);  // not the 10 s heartbeat nor the 10 min lifetime
  EXPECT_TRUE(client.WaitForEnd(1s));
  EXPECT_TRUE(other.WaitForEnd(1s));
}

TEST_F(EventStreamTest, StopEndsOpenStreamsPromptlyOverTls) {
  StartTls();
  auto tls_client = std::make_unique<testing::HttpsTestClient>(port_, pki_.ca_cert_pem);
  ASSERT_TRUE(tls_client->Connect().ok());
  BasicSseClient<testing::HttpsTestClient> client(std::move(tls_client));
  std::string head = client.Open("/api/v1/events");
  EXPECT_NE(head.find("Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"),
            std::string::npos)
      << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  channel_->Publish("n", "over tls");
  ASSERT_TRUE(client.WaitForEvents(1, 5s));
  EXPECT_EQ(client.events()[0].data, "over tls");
  auto stopped_at = Clock::now();
  EXPECT_TRUE(StopAndJoin(2s));
  EXPECT_LT(Clock::now() - stopped_at, 2s);
  EXPECT_TRUE(client.WaitForEnd(1s));  // the last chunk, then close_notify
}

TEST_F(EventStreamTest, AnHttp10ClientGetsTheBareBodyEndedByTheClose) {
  Start();
  HttpTestClient client(port_);
  ASSERT_TRUE(client.Connect().ok());
  ASSERT_TRUE(client.WriteRaw("GET /api/v1/events HTTP/1.0\r\n\r\n").ok());
  ASSERT_TRUE(CounterReaches(&ServerCounters::active_streams, 1));
  channel_->Publish("n", "one");
  channel_->Close();
  std::string received;
  auto until = Clock::now() + 5s;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    ASSERT_GT(left, 0ms) << received;
    Result<std::string> got = client.ReadSome(left);
    if (!got.ok()) {
      EXPECT_EQ(got.status().message(), "end of stream");
      break;
    }
    received += *got;
  }
  size_t body = received.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos) << received;
  EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << received;  // the server's version
  EXPECT_EQ(received.find("Transfer-Encoding"), std::string::npos) << received;
  EXPECT_EQ(received.substr(body + 4), "id: 1\nevent: n\ndata: one\n\n");
}

TEST_F(EventStreamTest, ARefusedStreamIsAnOrdinaryErrorResponse) {
  Start();
  HttpTestClient client(port_);
  ASSERT_TRUE(client.Connect().ok());
  auto refused = client.Get("/api/v1/private-events");
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->result(), StatusCode::unauthorized);
  EXPECT_TRUE(refused->keep_alive());
  auto ping = client.Get("/api/v1/ping");  // the connection goes on
  ASSERT_TRUE(ping.ok()) << ping.status().message();
  EXPECT_EQ(ping->result(), StatusCode::ok);
  EXPECT_EQ(server_->counters().active_streams, 0u);
}

TEST_F(EventStreamTest, AClientThatStopsReadingIsCutWithoutHoldingUpOthers) {
  ServerLimits limits = StreamLimits();
  limits.write_timeout = 500ms;
  Start(limits);
  SseClient stalled(port_, 4096);  // a small window: fills after a few events
  ASSERT_FALSE(stalled.Open("/api/v1/events").empty());
  std::atomic<bool> reader_done{false};
  std::atomic<bool> got_done{false};
  std::thread reader([&] {
    SseClient reading(port_);
    if (reading.Open("/api/v1/events").empty()) return;
    auto until = Clock::now() + 20s;
    while (!got_done && Clock::now() < until) {
      reading.WaitForEvents(reading.events().size() + 1, 1s);
      for (const SeenEvent& e : reading.events()) got_done = got_done || e.name == "done";
    }
    reader_done = true;
  });
  ASSERT_TRUE(CounterReaches(&ServerCounters::active_streams, 2));
  const std::string big(64 * 1024, 'x');
  auto until = Clock::now() + 15s;
  while (server_->counters().timed_out == 0 && Clock::now() < until) {
    channel_->Publish("big", big);
    std::this_thread::sleep_for(5ms);  // pacing the publisher, not a correctness wait
  }
  EXPECT_EQ(server_->counters().timed_out, 1u);
  EXPECT_TRUE(CounterReaches(&ServerCounters::active_streams, 1));
  channel_->Publish("done", "");
  reader.join();
  EXPECT_TRUE(got_done);
}

}  // namespace
}  // namespace onecard::http
