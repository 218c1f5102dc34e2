// The record a OneCard card carries in each of its two slots: a child's canonical record, encoded
// compactly as BER-TLV, encrypted under a card-data key (AES-256-GCM) and signed by the writing
// terminal (ECDSA P-256), with the terminal's compact certificate alongside so that any terminal
// verifies it offline with only the root public key. Byte layout: protocol/docs/card.md.
//
// Pure functions (no I/O); thread-safe. Every parser checks lengths before it allocates.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

namespace onecard {

// Format versions of the sealed record (card.md): a version adds numbers to the child record's
// dictionary. This code reads every version from the oldest to the newest; it writes the oldest
// one whose dictionary has every number the record uses, so that terminals of an older release
// still read the records that use nothing newer.
inline constexpr uint8_t kOldestCardRecordFormatVersion = 1;
inline constexpr uint8_t kCardRecordFormatVersion = 2;  // the newest: 2 added `stage` (25)
inline constexpr size_t kCardSerialSize = 8;
// Largest sealed record accepted by the parser (a slot is 2048 bytes; see card.md).
inline constexpr size_t kMaxSealedCardRecordSize = 2048;

// ---- The child record as compact BER-TLV (the plaintext) ----

struct ChildTlv {
  Bytes bytes;
  // The oldest format version whose dictionary has every number `bytes` uses.
  uint8_t format_version = kOldestCardRecordFormatVersion;
};

// Encodes a canonical child record (a JSON object). Known fields get one-byte tags and compact
// values (dates and digit strings as BCD); anything else (unknown keys, values of unexpected JSON
// types) is kept as a key + compact-JSON extension member, so every JSON object round-trips.
// kInvalidArgument when `child` is not an object or a member is too large.
Result<ChildTlv> EncodeChildTlv(const nlohmann::json& child);
// Inverse of EncodeChildTlv, for records of any format version. kInvalidArgument on malformed input
// (bad TLV, unknown tag, bad BCD, invalid UTF-8, duplicate member, nesting deeper than the format
// allows).
Result<nlohmann::json> DecodeChildTlv(ByteSpan tlv);

// ---- The sealed record (one slot) ----

struct CardRecordHeader {
  // As read from a card. SealCardRecord ignores it and writes ChildTlv::format_version.
  uint8_t format_version = kCardRecordFormatVersion;
  Bytes serial;                // kCardSerialSize bytes: the card this record was sealed for
  uint64_t write_counter = 0;  // 1 for the first record on a card, +1 per update
  uint32_t key_version = 0;    // card-data key version that encrypts the child record
  int64_t written_unix = 0;    // when the terminal sealed it (seconds since 1970, UTC)
};

// Encodes, encrypts and signs. Preconditions (checked): serial has kCardSerialSize bytes,
// data_key has kAeadKeySize bytes, signing_key has a private key. kInvalidArgument when the child
// cannot be encoded; kResourceExhausted when the result exceeds kMaxSealedCardRecordSize.
Result<Bytes> SealCardRecord(const nlohmann::json& child, const CardRecordHeader& header,
                             const EcKey& signing_key, ByteSpan signer_certificate,
                             const SecretBytes& data_key);

// Size of the sealed record that starts with `prefix` (its first bytes as read from a slot):
// kFailedPrecondition when the prefix is an erased slot (first byte 00) or too short to tell;
// kCorruption when it is not a sealed record or larger than kMaxSealedCardRecordSize.
Result<size_t> SealedCardRecordSize(ByteSpan prefix);

// Parses the header only (no verification), from the first bytes of a sealed record (64 bytes
// suffice); for choosing the next write counter. kCorruption when malformed or too short.
Result<CardRecordHeader> PeekCardRecordHeader(ByteSpan prefix);

struct OpenedCardRecord {
  CardRecordHeader header;
  CardSignerCertificate signer;
  nlohmann::json child;
};

// Returns the key of a version, or nullptr when this terminal does not hold it.
using CardDataKeyLookup = std::function<const SecretBytes*(uint32_t version)>;

// Verifies and decrypts, in this order: structure (kCorruption), serial equals `expected_serial`
// (kTampered), signer certificate chains to `root_public` and was valid when the record was written
// (kTampered / kUnauthenticated), record signature (kTampered), key version known
// (kUnauthenticated), AEAD tag (kTampered), plaintext decodes (kCorruption).
Result<OpenedCardRecord> OpenCardRecord(ByteSpan sealed, ByteSpan expected_serial,
                                        const EcKey& root_public,
                                        const CardDataKeyLookup& key_for_version);

}  // namespace onecard
