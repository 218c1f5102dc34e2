#include "browser_sessions.h"

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"

namespace onecard::desk {

BrowserSession BrowserSessions::Open() {
  BrowserSession session{HexEncode(RandomBytes(32)), HexEncode(RandomBytes(32))};
  std::lock_guard lock(mu_);
  sessions_.push_back(session);
  if (sessions_.size() > kMaxSessions) sessions_.pop_front();
  return session;
}

std::optional<BrowserSession> BrowserSessions::Find(std::string_view id) const {
  std::lock_guard lock(mu_);
  for (const BrowserSession& s : sessions_) {
    if (SecretsEqual(s.id, id)) return s;
  }
  return std::nullopt;
}

void BrowserSessions::CloseAll() {
  std::lock_guard lock(mu_);
  sessions_.clear();
}

}  // namespace onecard::desk
