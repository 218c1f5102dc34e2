// The set of revoked terminal ids that the TLS handshake consults (protocol/docs/sync.md,
// "Authentication"). The sync service loads it from the store at start and reloads it every
// SyncServiceOptions::revocation_refresh, so that `onecard-server revoke`, run in another process,
// takes effect at the terminal's next connection without a restart. Internal to the server library.
//
// Thread-safety: every method may be called from any thread (Contains runs on I/O threads during
// handshakes, Replace on the thread that reloads the list).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace onecard::server {

class RevokedTerminals {
 public:
  bool Contains(std::string_view terminal_id) const;
  // Replaces the whole set; returns the ids that were not in the previous set (for the log).
  std::vector<std::string> Replace(const std::vector<std::string>& terminal_ids);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  // Swapped whole under mu_; a handshake holds the lock only for one lookup.
  std::shared_ptr<const std::set<std::string, std::less<>>> ids_ =
      std::make_shared<const std::set<std::string, std::less<>>>();
};

}  // namespace onecard::server
