// ServerStore: the server's own audit chain (table server_audit, migration 022; the chain is
// schema/audit_chain.h's). The command runner appends one entry per audited command that
// succeeded (cli.cc); `onecard-server audit verify` checks it.
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

constexpr schema::AuditChainTable kServerAudit = {"server_audit", "subject", "server_audit_head"};

}  // namespace

Status ServerStore::AppendServerAudit(const std::string& actor, const std::string& action,
                                      const std::string& subject, const std::string& detail) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db_));
  RETURN_IF_ERROR(schema::AppendAuditChainEntry(
      db_, kServerAudit, {0, UtcNowIso8601(*clock_), actor, action, subject, detail}));
  return tx.Commit();
}

Result<schema::AuditChainReport> ServerStore::VerifyServerAudit() {
  std::lock_guard lock(mu_);
  return schema::VerifyAuditChain(db_, kServerAudit);
}

}  // namespace onecard::server
