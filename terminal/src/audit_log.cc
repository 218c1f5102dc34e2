#include "onecard/terminal/audit_log.h"

#include "onecard/protocol/timestamp.h"

namespace onecard::terminal {
namespace {

constexpr schema::AuditChainTable kTerminalAudit = {"audit", "child_id", "audit_head"};

}  // namespace

Status AppendAudit(schema::Database& db, const platform::Clock& clock, const std::string& actor,
                   const std::string& action, const std::string& child_id,
                   const nlohmann::json& detail) {
  return schema::AppendAuditChainEntry(
      db, kTerminalAudit, {UtcNowIso8601(clock), actor, action, child_id, detail.dump()});
}

Result<AuditReport> VerifyAudit(schema::Database& db) {
  return schema::VerifyAuditChain(db, kTerminalAudit);
}

}  // namespace onecard::terminal
