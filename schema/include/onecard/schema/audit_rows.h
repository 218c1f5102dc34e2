// Audit chain entries (protocol audit_chain.h; sync.md, "Audit chain") as both stores keep them:
// the terminal's `audit` table and the server's `terminal_audit` hold the same eight columns.
#pragma once

#include "onecard/schema/database.h"
#include "sync.pb.h"

namespace onecard::schema {

// The columns a query must select, in this order, for AuditEntryFromRow (child_id never NULL:
// the terminal's nullable column is selected through coalesce).
inline constexpr char kAuditEntryColumns[] =
    "id, at, actor, action, coalesce(child_id, ''), detail, prev_hash, hash";

// The entry in the current row of `st`, whose columns from `first` on are kAuditEntryColumns.
wire::AuditEntry AuditEntryFromRow(const Statement& st, int first = 0);

}  // namespace onecard::schema
