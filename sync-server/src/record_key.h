// Record keys for the cell key perturbation of counts (cell_key.h, docs/disclosure-control.md):
// every counted record carries a fixed 32-bit key, uniform to anyone without the server's secret
// "cell_key_secret", so that the perturbation of a cell cannot be predicted from who is in it.
// Embedded backend only (children.record_key, migration 012). Not thread-safe on one connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

// The name of the secret in the store's secrets table: 32 random bytes made with the store (or
// when a store from before version 12 is first opened). Never changed once a child is keyed: a new
// secret would give every table a second, independent perturbation to average.
inline constexpr char kCellKeySecretName[] = "cell_key_secret";
inline constexpr size_t kCellKeySecretSize = 32;

// Record keys under one secret, the HMAC key prepared once (ingest keys every stored child and
// move; ServerStore keeps one, RecordKeyerLocked).
class RecordKeyer {
 public:
  explicit RecordKeyer(const SecretBytes& secret) : mac_(secret) {}
  // The first 4 bytes, big-endian, of HMAC-SHA256(secret, id).
  uint32_t Of(std::string_view id) const;

 private:
  HmacSha256Key mac_;
};

// RecordKeyer(secret).Of(id): one key.
uint32_t RecordKey(const SecretBytes& secret, std::string_view id);

// Sets the record key of every child that has none (record_key IS NULL): rows stored before
// version 12, or planted by tests. Cheap when there are none (a partial index). Runs inside the
// caller's transaction.
Status KeyUnkeyedChildren(schema::Database& db, const SecretBytes& secret);

}  // namespace onecard::server
