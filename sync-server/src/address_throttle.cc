#include "address_throttle.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace onecard::server {

AddressThrottle::AddressThrottle(int limit, std::chrono::seconds window, size_t max_addresses)
    : limit_(limit),
      window_ms_(std::chrono::milliseconds(window).count()),
      max_addresses_(max_addresses) {}

std::string AddressThrottle::KeyOf(std::string_view address) {
  boost::system::error_code ec;
  const boost::asio::ip::address parsed = boost::asio::ip::make_address(address, ec);
  if (ec || parsed.is_v4()) return std::string(address);
  boost::asio::ip::address_v6 v6 = parsed.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  boost::asio::ip::address_v6::bytes_type bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

std::chrono::seconds AddressThrottle::RetryAfter(std::string_view address, int64_t now_ms) {
  if (address.empty()) return std::chrono::seconds(0);
  const std::string key = KeyOf(address);
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::chrono::seconds(0);
  std::deque<int64_t>& times = it->second;
  while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
  if (static_cast<int>(times.size()) < limit_) return std::chrono::seconds(0);
  // Allowed again when the oldest failure that keeps it at the limit leaves the window.
  const int64_t free_at = times[times.size() - limit_] + window_ms_;
  return std::chrono::seconds(std::max<int64_t>(1, (free_at - now_ms + 999) / 1000));
}

void AddressThrottle::RecordFailure(std::string_view address, int64_t now_ms) {
  if (address.empty()) return;
  const std::string key = KeyOf(address);
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    MakeRoom(now_ms);
    it = failures_.emplace(key, std::deque<int64_t>()).first;
  }
  it->second.push_back(now_ms);
  // Only the newest `limit_` failures decide anything.
  while (static_cast<int>(it->second.size()) > limit_) it->second.pop_front();
}

void AddressThrottle::ForgetExpired(int64_t now_ms) {
  std::erase_if(failures_, [&](const auto& entry) {
    return entry.second.empty() || entry.second.back() <= now_ms - window_ms_;
  });
}

void AddressThrottle::MakeRoom(int64_t now_ms) {
  if (failures_.size() < max_addresses_) return;
  ForgetExpired(now_ms);
  while (failures_.size() >= max_addresses_) {
    auto least_recent = std::min_element(
        failures_.begin(), failures_.end(),
        [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
    failures_.erase(least_recent);
  }
}

}  // namespace onecard::server
