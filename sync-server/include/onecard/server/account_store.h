// The server's storage of the officials' and administrators' accounts for the HTTPS API and the
// dashboard (docs/api.md): the accounts, their sign-in state, signed-in sessions and the
// append-only audit of API requests. Only storage: the rules (password length, lockout, TOTP,
// idle timeout) are in accounts.h and sign_in.h. The embedded SQLCipher store (ServerStore)
// implements it (server_accounts.cc); a PostgreSQL store will later. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

namespace onecard::server {

// An account as `user list` shows it: no secret in it.
struct Account {
  std::string user_name;
  std::string role;         // "official" | "admin"
  std::string area_prefix;  // the jurisdiction: area codes that start with it
  bool disabled = false;
  bool has_totp = false;  // a second factor is required at sign-in
  std::string created_at;
};

// How an account's sign-ins stand (the lockout and rate-limit policy of sign_in.h reads and
// writes it). Times are Unix milliseconds of the store's clock; 0 means never.
struct SignInState {
  int failed = 0;  // consecutive failed sign-ins since the last success
  int64_t last_failure_ms = 0;
  int64_t locked_until_ms = 0;
  uint64_t totp_last_step = 0;  // the last TOTP step accepted: a code is never accepted twice
};

// What a sign-in needs of an account.
struct AccountCredentials {
  Account account;
  std::string password_hash;  // crypto_pwhash_str's text (Argon2id)
  SecretBytes totp_secret;    // empty when the account has no second factor
  SignInState state;
};

// A signed-in session, found by the hash of its token.
struct ApiSession {
  std::string user_name;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
};

// One API request in the audit (who, what, when, how many cells). Never a body or a cookie.
struct ApiAuditEntry {
  int64_t audit_id = 0;   // assigned by the store, rising
  std::string at;         // "2026-06-01T08:00:00Z"
  std::string user_name;  // "" when the request had no valid session
  std::string method;     // "GET"
  std::string target;     // path and query, "/api/v1/counts?area=4403&by=sex"
  int status = 0;         // the HTTP status answered
  int64_t cells = 0;      // the number of counts the answer gave (cells and totals)
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // kAlreadyExists when the name is taken. `totp_secret` empty: no second factor.
  virtual Status AddAccount(const Account& account, const std::string& password_hash,
                            const SecretBytes& totp_secret) = 0;
  // Every account, by name.
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  // kNotFound when there is no such account.
  virtual Result<AccountCredentials> FindAccount(const std::string& user_name) = 0;

  // Each: kNotFound when there is no such account; each ends the account's sessions.
  virtual Status SetDisabled(const std::string& user_name, bool disabled) = 0;
  // Also clears the failures and any lock (an administrator reset the password).
  virtual Status SetPassword(const std::string& user_name, const std::string& password_hash) = 0;
  // Empty: the account signs in without a second factor.
  virtual Status SetTotpSecret(const std::string& user_name, const SecretBytes& totp_secret) = 0;

  // Replaces the account's sign-in state. kNotFound when there is no such account.
  virtual Status SaveSignInState(const std::string& user_name, const SignInState& state) = 0;

  // Sessions, by the SHA-256 of their token (never the token itself).
  virtual Status CreateSession(const Bytes& token_hash, const std::string& user_name,
                               int64_t now_ms) = 0;
  // nullopt when there is no such session.
  virtual Result<std::optional<ApiSession>> FindSession(const Bytes& token_hash) = 0;
  virtual Status TouchSession(const Bytes& token_hash, int64_t now_ms) = 0;
  virtual Status DeleteSession(const Bytes& token_hash) = 0;
  // Deletes sessions last seen before `idle_cutoff_ms` or created before `created_cutoff_ms`.
  virtual Status DeleteStaleSessions(int64_t idle_cutoff_ms, int64_t created_cutoff_ms) = 0;

  // Appends one entry to the API audit (append-only: the store refuses changes to entries).
  virtual Status AppendApiAudit(const ApiAuditEntry& entry) = 0;
  // The newest `newest` entries (all when 0), of `user_name` only when it is not empty, oldest
  // first. Reads no more rows than it returns when every entry matches.
  virtual Result<std::vector<ApiAuditEntry>> ApiAudit(const std::string& user_name,
                                                      size_t newest) = 0;
};

}  // namespace onecard::server
