// Compact card-signer certificates: the CA ("national root") vouches that an EC P-256 public key
// belongs to a terminal, in ~170 bytes that fit on a card next to the record the terminal signed,
// so any terminal verifies a card offline with only the root public key. Format:
// protocol/docs/card.md
// ("Signer certificate"). Pure functions: no I/O, safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

namespace onecard {

inline constexpr size_t kMaxTerminalIdSize = 64;

struct CardSignerCertificate {
  std::string terminal_id;
  Bytes public_point;  // uncompressed SEC1 P-256 point, 65 bytes
  int64_t not_after_unix = 0;
};

// Signs a certificate for `terminal_id` (1–64 bytes of UTF-8) and `public_point` (65-byte point).
// Preconditions (checked, abort on violation): ca_key has a private key; the sizes above.
Bytes IssueCardSignerCertificate(const EcKey& ca_key, const std::string& terminal_id,
                                 ByteSpan public_point, int64_t not_after_unix);

// Parses and verifies `certificate`. kInvalidArgument when malformed (wrong tags, sizes, trailing
// bytes, a point not on the curve); kTampered when the CA signature does not verify under
// `root_public`; kUnauthenticated when it expired before `now_unix`.
Result<CardSignerCertificate> VerifyCardSignerCertificate(ByteSpan certificate,
                                                          const EcKey& root_public,
                                                          int64_t now_unix);

}  // namespace onecard
