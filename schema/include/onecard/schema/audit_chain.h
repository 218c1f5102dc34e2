// An append-only, hash-chained audit log in a table of a store: the terminal's `audit` (who did
// what to which child) and the server's `server_audit` (who read or changed what at the server).
// Each entry's hash is protocol audit_chain.h's AuditEntryHash, its subject under the table's
// subject column name; a meta row holds the last hash and the count, so that removing the newest
// entries shows too. The table has the columns id, at,
// actor, action, <subject>, detail, prev_hash, hash, and triggers refusing UPDATE and DELETE.
//
// Functions run inside the caller's transaction (or alone); the caller serialises access.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/protocol/audit_chain.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::schema {

// Where a chain lives.
struct AuditChainTable {
  const char* table;           // "audit"
  const char* subject_column;  // "child_id": also the entry's JSON key for the subject
  const char* head_key;        // the meta key of the head, "audit_head"
};

// Appends `entry` as the next id (the id it carries is replaced).
Status AppendAuditChainEntry(Database& db, const AuditChainTable& chain, AuditChainEntry entry);

struct AuditChainReport {
  int64_t entries = 0;
  bool intact = true;
  int64_t first_bad_id = 0;  // when !intact
  std::string problem;       // one sentence, in the user's language
};
// Checks every entry in id order: ids without gaps from 1, each chained to the one before, each
// hash recomputed, the head equal to the last entry.
Result<AuditChainReport> VerifyAuditChain(Database& db, const AuditChainTable& chain);

}  // namespace onecard::schema
