// ServerStore: terminals' pushed audit chains (sync.md, "Audit chain"; terminal_audit_store.h).

#include "onecard/schema/database.h"
#include "onecard/server/server_store.h"
#include "terminal_audit_store.h"

namespace onecard::server {

Result<AuditReceipt> ServerStore::StoreTerminalAudit(const std::string& terminal_id,
                                                     const std::vector<wire::AuditEntry>& entries) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db_));
  ASSIGN_OR_RETURN(AuditReceipt receipt,
                   StoreTerminalAuditEntries(db_, terminal_id, entries, clock_->WallMs()));
  RETURN_IF_ERROR(tx.Commit());
  return receipt;
}

Result<std::vector<TerminalAuditState>> ServerStore::TerminalAudits() {
  std::lock_guard lock(mu_);
  return LoadTerminalAudits(db_);
}

}  // namespace onecard::server
