// Signing in to the officials' API (docs/api.md, "Sessions"): passwords and one-time codes checked
// against the AccountStore, failures rate-limited and accounts locked, sessions as random tokens
// of which the store keeps only a hash, with an idle timeout and a maximum age.
//
// The policy, per account, counting consecutive failures (a success or `user passwd` resets it):
//   - failures 1 to 3 cost nothing more;
//   - from the 3rd on, the next attempt is accepted only 30 s after the last failure
//     (kRateLimited, with the seconds to wait);
//   - the 5th failure locks the account for 15 minutes, each further failure after a lock for
//     twice as long as the one before, at most 24 hours (kLocked). A locked account refuses even
//     the right password; attempts refused this way are not counted and cost no hashing.
// An account with a second factor asked without a code answers kTotpRequired before the password
// is checked, and uncounted (the dashboard then asks for the code). An unknown or disabled account
// answers kInvalidCredentials after the same hashing work as a wrong password.
// Per client address, across accounts: 20 failures within 15 minutes and the address is refused
// (kRateLimited, no hashing) until the oldest of them is 15 minutes old (address_throttle.h).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/server/account_store.h"

namespace onecard::server {

struct SignInPolicy {
  int free_failures = 3;
  std::chrono::seconds retry_delay{30};
  int lock_after = 5;
  std::chrono::seconds lock_duration{15 * 60};
  std::chrono::seconds max_lock{24 * 3600};
  std::chrono::seconds idle_timeout{30 * 60};    // a session unused this long is ended
  std::chrono::seconds max_session{12 * 3600};   // and any session this old
  int address_failures = 20;                     // failed sign-ins one address may make
  std::chrono::seconds address_window{15 * 60};  // within this long
};

// Who a valid session belongs to.
struct Principal {
  std::string user_name;
  std::string role;         // "official" | "admin"
  std::string area_prefix;  // the jurisdiction
  std::string csrf_token;   // what state-changing requests must echo (CsrfTokenFor the session)
};

struct SignInOutcome {
  enum class Kind { kSignedIn, kInvalidCredentials, kTotpRequired, kRateLimited, kLocked };
  Kind kind = Kind::kInvalidCredentials;
  std::chrono::seconds retry_after{0};  // kRateLimited, kLocked: how long to wait
  std::string token;                    // kSignedIn: the session token for the cookie
  Principal principal;                  // kSignedIn
};

class AddressThrottle;  // failures per client address (address_throttle.h, private)

class SignInService {
 public:
  // `store` and `clock` must outlive the service.
  SignInService(AccountStore& store, const platform::Clock& clock, SignInPolicy policy = {});
  ~SignInService();

  // Store failures are errors; every refusal is an outcome. `totp` is nullopt when none was sent.
  // `peer_address`: the client's IP address ("" when unknown: no limit per address applies).
  Result<SignInOutcome> SignIn(const std::string& user_name, std::string_view password,
                               const std::optional<std::string>& totp,
                               std::string_view peer_address = {});

  // The session's principal, its idle time restarted; nullopt when the token names no session,
  // the session is idle or too old (it is then deleted) or its account is disabled.
  Result<std::optional<Principal>> Authenticate(std::string_view token);

  // Ends the session (nothing happens for an unknown token).
  Status SignOut(std::string_view token);

  // The CSRF token of the session with `token`: derived from it (SHA-256 with its own label), so
  // it needs no storage, and a page that can read neither the cookie nor an API answer cannot
  // know it.
  static std::string CsrfTokenFor(std::string_view token);

  const SignInPolicy& policy() const { return policy_; }

 private:
  // Decides on an attempt at `now_ms` before the password is checked: refuses it (rate limit,
  // lock, second factor missing) or counts it as a failure in advance, so that attempts made at
  // once cannot get past the limits. nullopt: go on and check the password.
  Result<std::optional<SignInOutcome>> ReserveAttempt(const AccountCredentials& found,
                                                      bool has_totp_code, int64_t now_ms);
  Result<SignInOutcome> Grant(const AccountCredentials& found, uint64_t totp_step, int64_t now_ms);
  // Checks the password and code of an account whose attempt was reserved.
  Result<SignInOutcome> CheckCredentials(const AccountCredentials& found, std::string_view password,
                                         const std::optional<std::string>& totp, int64_t now_ms);

  AccountStore& store_;
  const platform::Clock& clock_;
  SignInPolicy policy_;
  std::mutex attempts_mu_;  // serialises ReserveAttempt and Grant's reset of the state
  std::unique_ptr<AddressThrottle> address_throttle_;
};

}  // namespace onecard::server
