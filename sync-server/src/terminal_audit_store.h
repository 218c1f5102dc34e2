// Terminals' pushed audit chains in the embedded store (migration 021_terminal_audit.sql): the
// SQL behind ServerStore::StoreTerminalAudit and ServerStore::TerminalAudits. Each function runs
// in the caller's transaction, under the store's lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/terminal_audit.h"
#include "sync.pb.h"

namespace onecard::server {

// Checks `entries` (terminal_audit_check.h) against the terminal's chain as held, stores each one
// as received (unless an identical copy is held), moves the head, and records the first problem
// when the terminal had none. `now_ms` stamps the receipt.
Result<AuditReceipt> StoreTerminalAuditEntries(schema::Database& db, const std::string& terminal_id,
                                               const std::vector<wire::AuditEntry>& entries,
                                               int64_t now_ms);

// Every enrolled terminal, by id, with what is held of its chain.
Result<std::vector<TerminalAuditState>> LoadTerminalAudits(schema::Database& db);

}  // namespace onecard::server
