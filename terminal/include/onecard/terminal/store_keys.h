// keys.json: the terminal store's random 256-bit key, wrapped once per staff member by a key
// derived from that person's passphrase (PBKDF2-HMAC-SHA512, kPassphraseIterations, random 16-byte
// salt, AES-256-GCM). Passphrases change by re-wrapping one slot; the store is never re-encrypted.
// Slots are indexed by a hash of the user name so that staff names are not in clear on disk.
#pragma once

#include <string>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

namespace onecard::terminal {

class StoreKeys {
 public:
  // Creates keys.json in `dir` with a new random store key wrapped for `user`; returns the key.
  // kAlreadyExists when keys.json exists.
  static Result<SecretBytes> Create(const std::string& dir, const std::string& user,
                                    const std::string& passphrase);
  // Unwraps the store key for `user`. kUnauthenticated for an unknown user or a wrong passphrase
  // (one message for both, so it does not reveal which staff names exist).
  static Result<SecretBytes> Unlock(const std::string& dir, const std::string& user,
                                    const std::string& passphrase);
  // Adds or replaces `user`'s slot, wrapping `store_key` under `passphrase`. Atomic file replace.
  static Status SetSlot(const std::string& dir, const std::string& user,
                        const std::string& passphrase, const SecretBytes& store_key);
  // Removes `user`'s slot (none: nothing to do), so their passphrase opens nothing. Atomic file
  // replace.
  static Status RemoveSlot(const std::string& dir, const std::string& user);
};

}  // namespace onecard::terminal
