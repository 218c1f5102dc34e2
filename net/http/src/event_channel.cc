#include "onecard/http/event_channel.h"

#include <utility>

#include "onecard/protocol/status.h"

namespace onecard::http {

EventChannel::EventChannel(size_t replay_capacity) : capacity_(replay_capacity) {
  ONECARD_CHECK(replay_capacity >= 1);
}

uint64_t EventChannel::Publish(std::string_view name, std::string_view data) {
  ONECARD_CHECK(name.find_first_of("\r\n") == std::string_view::npos);
  std::lock_guard lock(mutex_);
  if (closed_) return 0;
  auto event =
      std::make_shared<const Event>(Event{++last_id_, std::string(name), std::string(data)});
  held_.push_back(std::move(event));
  if (held_.size() > capacity_) held_.pop_front();
  for (const auto& [key, wake] : waiters_) wake();
  return last_id_;
}

void EventChannel::Close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  for (const auto& [key, wake] : waiters_) wake();
}

bool EventChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

uint64_t EventChannel::last_id() const {
  std::lock_guard lock(mutex_);
  return last_id_;
}

EventChannel::Backlog EventChannel::After(uint64_t after) const {
  std::lock_guard lock(mutex_);
  Backlog backlog{{}, closed_};
  for (const auto& event : held_) {
    if (event->id > after) backlog.events.push_back(event);
  }
  return backlog;
}

EventChannel::Subscription EventChannel::Subscribe(const std::shared_ptr<EventChannel>& channel,
                                                   std::function<void()> wake) {
  std::lock_guard lock(channel->mutex_);
  uint64_t key = channel->next_key_++;
  channel->waiters_.emplace(key, std::move(wake));
  return Subscription(channel, key);
}

void EventChannel::Unsubscribe(uint64_t key) {
  std::lock_guard lock(mutex_);
  waiters_.erase(key);
}

EventChannel::Subscription::Subscription(std::shared_ptr<EventChannel> channel, uint64_t key)
    : channel_(std::move(channel)), key_(key) {}

EventChannel::Subscription::Subscription(Subscription&& other) noexcept
    : channel_(std::move(other.channel_)), key_(other.key_) {}

EventChannel::Subscription& EventChannel::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    if (channel_) channel_->Unsubscribe(key_);
    channel_ = std::move(other.channel_);
    key_ = other.key_;
  }
  return *this;
}

EventChannel::Subscription::~Subscription() {
  if (channel_) channel_->Unsubscribe(key_);
}

}  // namespace onecard::http
