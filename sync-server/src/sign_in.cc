#include "onecard/server/sign_in.h"

#include <algorithm>

#include "address_throttle.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/totp.h"
#include "password_hash.h"

namespace onecard::server {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits from the system's random source

// Whole seconds from `now_ms` until `until_ms`, at least 1.
std::chrono::seconds SecondsUntil(int64_t until_ms, int64_t now_ms) {
  return std::chrono::seconds(std::max<int64_t>(1, (until_ms - now_ms + 999) / 1000));
}

Bytes TokenHash(std::string_view token) { return Sha256(AsBytes(token)); }

// A token as this service makes them: 64 lower-case hex digits. Anything else names no session
// (and is not worth a look-up).
bool IsTokenShaped(std::string_view token) {
  return token.size() == 2 * kTokenBytes && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

SignInOutcome Refusal(SignInOutcome::Kind kind, std::chrono::seconds retry_after = {}) {
  SignInOutcome outcome;
  outcome.kind = kind;
  outcome.retry_after = retry_after;
  return outcome;
}

}  // namespace

SignInService::SignInService(AccountStore& store, const platform::Clock& clock, SignInPolicy policy)
    : store_(store),
      clock_(clock),
      policy_(policy),
      address_throttle_(
          std::make_unique<AddressThrottle>(policy.address_failures, policy.address_window)) {}

SignInService::~SignInService() = default;

std::string SignInService::CsrfTokenFor(std::string_view token) {
  return HexEncode(Sha256(AsBytes("onecard csrf v1\n" + std::string(token))));
}

Result<std::optional<SignInOutcome>> SignInService::ReserveAttempt(const AccountCredentials& found,
                                                                   bool has_totp_code,
                                                                   int64_t now_ms) {
  using Kind = SignInOutcome::Kind;
  SignInState state = found.state;
  if (state.locked_until_ms > now_ms) {
    return std::optional(Refusal(Kind::kLocked, SecondsUntil(state.locked_until_ms, now_ms)));
  }
  if (!found.totp_secret.empty() && !has_totp_code)
    return std::optional(Refusal(Kind::kTotpRequired));
  const int64_t retry_at =
      state.last_failure_ms + std::chrono::milliseconds(policy_.retry_delay).count();
  if (state.failed >= policy_.free_failures && now_ms < retry_at) {
    return std::optional(Refusal(Kind::kRateLimited, SecondsUntil(retry_at, now_ms)));
  }
  // Counted as a failure now; a right password resets it (Grant).
  state.failed += 1;
  state.last_failure_ms = now_ms;
  if (state.failed >= policy_.lock_after) {
    const int doublings = std::min(state.failed - policy_.lock_after, 20);
    const auto lock = std::min(policy_.lock_duration * (int64_t{1} << doublings), policy_.max_lock);
    state.locked_until_ms = now_ms + std::chrono::milliseconds(lock).count();
  }
  RETURN_IF_ERROR(store_.SaveSignInState(found.account.user_name, state));
  return std::optional<SignInOutcome>();
}

Result<SignInOutcome> SignInService::SignIn(const std::string& user_name, std::string_view password,
                                            const std::optional<std::string>& totp,
                                            std::string_view peer_address) {
  const int64_t now_ms = clock_.WallMs();
  const std::chrono::seconds address_wait = address_throttle_->RetryAfter(peer_address, now_ms);
  if (address_wait.count() > 0) return Refusal(SignInOutcome::Kind::kRateLimited, address_wait);
  Result<AccountCredentials> found = store_.FindAccount(user_name);
  if (!found.ok() && found.status().code() != ErrorCode::kNotFound) return found.status();
  Result<SignInOutcome> outcome = SignInOutcome();
  if (!found.ok() || found->account.disabled) {
    VerifyNothing(password);
    outcome = Refusal(SignInOutcome::Kind::kInvalidCredentials);
  } else {
    outcome = CheckCredentials(*found, password, totp, now_ms);
  }
  if (outcome.ok() && outcome->kind == SignInOutcome::Kind::kInvalidCredentials) {
    address_throttle_->RecordFailure(peer_address, now_ms);
  }
  return outcome;
}

Result<SignInOutcome> SignInService::CheckCredentials(const AccountCredentials& found,
                                                      std::string_view password,
                                                      const std::optional<std::string>& totp,
                                                      int64_t now_ms) {
  AccountCredentials current;
  {
    std::lock_guard lock(attempts_mu_);
    // Read again under the lock: another attempt may have counted since.
    ASSIGN_OR_RETURN(current, store_.FindAccount(found.account.user_name));
    ASSIGN_OR_RETURN(std::optional<SignInOutcome> refused,
                     ReserveAttempt(current, totp.has_value(), now_ms));
    if (refused) return *refused;
  }
  bool ok = VerifyPassword(current.password_hash, password);
  uint64_t step = current.state.totp_last_step;
  if (ok && !current.totp_secret.empty()) {
    std::optional<uint64_t> matched =
        MatchTotp(current.totp_secret.span(), *totp, clock_.WallSeconds());
    // A code already used (seen by someone looking over a shoulder) is refused.
    ok = matched && *matched > current.state.totp_last_step;
    if (ok) step = *matched;
  }
  if (!ok) return Refusal(SignInOutcome::Kind::kInvalidCredentials);
  return Grant(current, step, now_ms);
}

Result<SignInOutcome> SignInService::Grant(const AccountCredentials& found, uint64_t totp_step,
                                           int64_t now_ms) {
  {
    std::lock_guard lock(attempts_mu_);
    RETURN_IF_ERROR(
        store_.SaveSignInState(found.account.user_name, SignInState{0, 0, 0, totp_step}));
  }
  RETURN_IF_ERROR(
      store_.DeleteStaleSessions(now_ms - std::chrono::milliseconds(policy_.idle_timeout).count(),
                                 now_ms - std::chrono::milliseconds(policy_.max_session).count()));
  SignInOutcome outcome;
  outcome.kind = SignInOutcome::Kind::kSignedIn;
  outcome.token = HexEncode(RandomBytes(kTokenBytes));
  RETURN_IF_ERROR(store_.CreateSession(TokenHash(outcome.token), found.account.user_name, now_ms));
  outcome.principal = Principal{found.account.user_name, found.account.role,
                                found.account.area_prefix, CsrfTokenFor(outcome.token)};
  return outcome;
}

Result<std::optional<Principal>> SignInService::Authenticate(std::string_view token) {
  if (!IsTokenShaped(token)) return std::optional<Principal>();
  const Bytes hash = TokenHash(token);
  ASSIGN_OR_RETURN(std::optional<ApiSession> session, store_.FindSession(hash));
  if (!session) return std::optional<Principal>();
  const int64_t now_ms = clock_.WallMs();
  const bool idle =
      now_ms - session->last_seen_ms > std::chrono::milliseconds(policy_.idle_timeout).count();
  const bool old =
      now_ms - session->created_ms > std::chrono::milliseconds(policy_.max_session).count();
  if (idle || old) {
    RETURN_IF_ERROR(store_.DeleteSession(hash));
    return std::optional<Principal>();
  }
  Result<AccountCredentials> account = store_.FindAccount(session->user_name);
  if (!account.ok() && account.status().code() != ErrorCode::kNotFound) return account.status();
  if (!account.ok() || account->account.disabled) return std::optional<Principal>();
  RETURN_IF_ERROR(store_.TouchSession(hash, now_ms));
  return std::optional(Principal{account->account.user_name, account->account.role,
                                 account->account.area_prefix, CsrfTokenFor(token)});
}

Status SignInService::SignOut(std::string_view token) {
  if (!IsTokenShaped(token)) return Status::Ok();
  return store_.DeleteSession(TokenHash(token));
}

}  // namespace onecard::server
