// Failed sign-ins counted per client address, across accounts (docs/api.md, "Sign-in limits").
// The per-account limits (sign_in.h) stop guessing one account's password; this stops one address
// trying a few passwords on each of many accounts, which the per-account limits never see.
//
// An address with `limit` failures within `window` is refused until the oldest of them is older
// than the window. IPv4 addresses count one by one; IPv6 addresses by their /64 prefix, the network
// one subscriber is given (its 2^64 addresses are one client's to spend). "" (a request made in
// process, with no connection) is never limited. At most `max_addresses` are tracked: when full,
// the addresses whose failures have all left the window are forgotten first, then the one that
// failed least recently, so memory stays bounded whatever the number of clients.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace onecard::server {

class AddressThrottle {
 public:
  AddressThrottle(int limit, std::chrono::seconds window, size_t max_addresses = 10000);

  // How long the address must wait before its next attempt: 0 when it may try at `now_ms`.
  std::chrono::seconds RetryAfter(std::string_view address, int64_t now_ms);
  void RecordFailure(std::string_view address, int64_t now_ms);

  // The key an address is counted under: the address itself (IPv4, and an IPv4-mapped IPv6
  // address as its IPv4 one), "PREFIX/64" for IPv6, the text as given when it is no address.
  static std::string KeyOf(std::string_view address);

 private:
  void ForgetExpired(int64_t now_ms);  // under mu_
  void MakeRoom(int64_t now_ms);       // under mu_: below max_addresses_ entries

  const int limit_;
  const int64_t window_ms_;
  const size_t max_addresses_;
  std::mutex mu_;
  std::map<std::string, std::deque<int64_t>, std::less<>> failures_;  // key -> times, oldest first
};

}  // namespace onecard::server
