// Server-sent events (text/event-stream): a channel the application publishes into and that every
// open stream on it follows.
//
//   using Channel = std::shared_ptr<EventChannel>;
//   auto cards = std::make_shared<EventChannel>();
//   router.Stream("/api/v1/events", [cards](const Request&) -> Result<Channel> {
//     return cards;  // or a Status: the client gets ErrorResponse(status)
//   });
//   cards->Publish("card.inserted", R"({"reader":"ACS ACR39U"})");  // from any thread
//
// Each event gets the next id (1, 2, ...). A stream sends the events published after it started;
// a client reconnecting with Last-Event-ID N is first sent the held events with ids above N. The
// channel holds the last `replay_capacity` events for that (older ones are gone: a client that
// was away longer misses them, and should reload its state; so does an open stream that falls
// more than that many events behind, e.g. a burst written to a slow client). Ids are per channel
// object: a new channel (a restarted program) starts again at 1, and a Last-Event-ID above the
// channel's last id is taken as a new client.
//
// Thread-safety: every member may be called from any thread. Streams hold the channel (shared_ptr)
// while they run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace onecard::http {

struct Event {
  uint64_t id = 0;
  std::string name;  // "" for the EventSource default ("message")
  std::string data;  // any text; a multi-line one is sent as several data: lines
};

class EventChannel {
 public:
  // Precondition: replay_capacity >= 1.
  explicit EventChannel(size_t replay_capacity = 64);
  EventChannel(const EventChannel&) = delete;
  EventChannel& operator=(const EventChannel&) = delete;

  // Sends `data` as event `name` to every open stream; returns its id, or 0 when the channel is
  // closed (nothing is sent). Precondition: `name` holds no CR or LF (it is a fixed token chosen
  // by the program; a line break would split the event).
  uint64_t Publish(std::string_view name, std::string_view data);

  // Ends every open stream (after the events published before it are sent); later streams on the
  // channel end at once. Publish does nothing afterwards. Idempotent.
  void Close();
  bool closed() const;
  // The id of the last event published, 0 before the first.
  uint64_t last_id() const;

  // --- For the server's connections ---

  // The held events with ids above `after`, oldest first, and whether the channel is closed.
  struct Backlog {
    std::vector<std::shared_ptr<const Event>> events;
    bool closed = false;
  };
  Backlog After(uint64_t after) const;

  // Calls `wake` after every Publish and on Close, until the subscription is destroyed. `wake`
  // runs on the publishing thread with the channel's lock held: it must only hand work elsewhere
  // (asio::post) and must not call the channel.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription();

   private:
    friend class EventChannel;
    Subscription(std::shared_ptr<EventChannel> channel, uint64_t key);
    std::shared_ptr<EventChannel> channel_;
    uint64_t key_ = 0;
  };
  // The channel must be owned by a shared_ptr (the subscription holds it).
  [[nodiscard]] static Subscription Subscribe(const std::shared_ptr<EventChannel>& channel,
                                              std::function<void()> wake);

 private:
  void Unsubscribe(uint64_t key);

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const Event>> held_;  // the last `capacity_` events
  uint64_t last_id_ = 0;
  bool closed_ = false;
  uint64_t next_key_ = 1;
  std::map<uint64_t, std::function<void()>> waiters_;
};

}  // namespace onecard::http
