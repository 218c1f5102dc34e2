// The one-time secret in the address `onecard-terminal desk` prints (and opens in the browser):
// whoever first presents it gets a browser session (browser_sessions.h); after that it opens
// nothing, so the address left in the browser's history or on the screen is worthless. Another
// program on the same machine can connect to the loopback port, but without the secret (or the
// session cookie it was exchanged for) it gets nothing.
//
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace onecard::desk {

class LaunchLink {
 public:
  // A fresh random secret (256 bits, lower-case hex).
  LaunchLink();

  const std::string& secret() const { return secret_; }
  // True exactly once: for the first call presenting the secret (compared in constant time).
  bool Redeem(std::string_view presented);

 private:
  const std::string secret_;
  std::mutex mu_;
  bool redeemed_ = false;
};

}  // namespace onecard::desk
