// Passwords of the officials' accounts, hashed with Argon2id (libsodium's crypto_pwhash_str): the
// one place libsodium is used. The stored text holds the algorithm, its parameters, the salt and
// the hash, so parameters can be raised later without invalidating stored hashes.
//
// Cost: libsodium's "interactive" limits, 2 passes over 64 MiB, about 0.1 s on this project's
// machines per hash or verification; sign-ins are rate-limited (sign_in.h), so this bounds what
// an attacker can try, online or with a stolen copy of the store.
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard::server {

// The Argon2id string for `password`. kResourceExhausted when the memory cannot be had.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (a HashPassword result); false for a wrong password or a
// hash that is not one. Takes the same time whether or not it matches.
bool VerifyPassword(const std::string& hash, std::string_view password);

// Burns the time one verification takes, for a sign-in to an unknown account, so that the time
// of the answer does not tell which names exist.
void VerifyNothing(std::string_view password);

}  // namespace onecard::server
