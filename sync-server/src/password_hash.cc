#include "password_hash.h"

#include <sodium.h>

#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

void InitializeSodium() {
  // sodium_init is thread-safe and idempotent; it fails only without a usable random source,
  // where nothing secret could be made: abort.
  static const bool ready = sodium_init() >= 0;
  ONECARD_CHECK(ready);
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  InitializeSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(ErrorCode::kResourceExhausted,
                  Tr("内存不足，无法计算口令散列", "not enough memory to hash the password"));
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  InitializeSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void VerifyNothing(std::string_view password) {
  // A fixed hash of a random password no one knows, made once with the same parameters.
  static const std::string decoy = [] {
    auto made = HashPassword("onecard decoy " + std::to_string(randombytes_random()));
    ONECARD_CHECK(made.ok());
    return *made;
  }();
  (void)VerifyPassword(decoy, password);
}

}  // namespace onecard::server
