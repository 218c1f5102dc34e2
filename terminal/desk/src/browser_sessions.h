// The browsers let into the desk: each redeemed the launch link (launch_link.h) and holds a session
// cookie; each session has its own CSRF token, which the desk's pages send with every request that
// changes something. Sessions last while the desk runs (session cookies; a new browser needs a new
// launch link). At most kMaxSessions at once; beyond that the oldest is forgotten.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace onecard::desk {

struct BrowserSession {
  std::string id;          // the cookie's value: 256 random bits, hex
  std::string csrf_token;  // 256 random bits, hex
};

class BrowserSessions {
 public:
  static constexpr size_t kMaxSessions = 8;

  BrowserSession Open();
  // The session whose id is `id` (compared in constant time), if any.
  std::optional<BrowserSession> Find(std::string_view id) const;
  // Forgets every session (the desk is stopping, or a supervisor ends them).
  void CloseAll();

 private:
  mutable std::mutex mu_;
  std::deque<BrowserSession> sessions_;
};

}  // namespace onecard::desk
