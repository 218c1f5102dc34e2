// The rules of the officials' and administrators' accounts (CLI.md `user add|list|disable|passwd`,
// docs/api.md): what a name, role, jurisdiction and password must be, and when a second factor
// (TOTP, RFC 6238) is required. The commands and the API call these over an AccountStore.
//
//   role      jurisdiction (--area)                      second factor
//   official  an area-code prefix: 2, 4 or 6 digits      optional (`user add --totp`, `user totp`)
//   admin     an area-code prefix, the same way          always: a TOTP key is made at `user add`
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/server/account_store.h"

namespace onecard::server {

inline constexpr size_t kMinPasswordChars = 12;    // Unicode characters
inline constexpr size_t kMaxPasswordBytes = 1024;  // bounds the work a sign-in can ask for
inline constexpr size_t kMaxAccountNameBytes = 64;

// 1–64 of a–z, 0–9, '.', '_', '-', starting with a letter or digit ("wang.li"). kInvalidArgument.
Status ValidateAccountName(std::string_view name);
// "official" or "admin". kInvalidArgument.
Status ValidateRole(std::string_view role);
// 2, 4 or 6 digits naming a known province, prefecture or county ("4403", "321324").
// kInvalidArgument naming the prefix.
Status ValidateAreaPrefix(std::string_view prefix);
// At least kMinPasswordChars characters of valid UTF-8, at most kMaxPasswordBytes bytes.
// kInvalidArgument (the message never repeats the password).
Status ValidatePassword(std::string_view password);

struct NewAccount {
  std::string user_name;
  std::string role;
  std::string area_prefix;
  bool totp = false;  // officials: require a second factor too (admins always do)
};

// Validates and adds the account with its password hashed (Argon2id). Returns the TOTP key made
// for it (to show its holder once), empty when the account has no second factor.
// kInvalidArgument for a bad field, kAlreadyExists for a name taken.
Result<SecretBytes> AddAccount(AccountStore& store, const NewAccount& account,
                               std::string_view password);

// Sets a new password (validated, hashed), clears failures and locks, ends the sessions.
Status ChangePassword(AccountStore& store, const std::string& user_name, std::string_view password);

// Makes a new TOTP key for the account (ending its sessions) and returns it; with `off`, removes
// the second factor instead and returns an empty key. kFailedPrecondition when `off` is asked
// for an admin, kNotFound for an unknown account.
Result<SecretBytes> ResetTotp(AccountStore& store, const std::string& user_name, bool off);

}  // namespace onecard::server
