#include "onecard/terminal/audit_log.h"

#include <charconv>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/audit_rows.h"
#include "onecard/schema/meta_table.h"

namespace onecard::terminal {
namespace {

constexpr schema::AuditChainTable kTerminalAudit = {"audit", kTerminalAuditSubjectKey,
                                                    "audit_head"};
// The meta key of the last entry id the server acknowledged holding (AuditAck.held_id).
constexpr char kAuditPushedKey[] = "audit_pushed";

}  // namespace

Status AppendAudit(schema::Database& db, const platform::Clock& clock, const std::string& actor,
                   const std::string& action, const std::string& child_id,
                   const nlohmann::json& detail) {
  return schema::AppendAuditChainEntry(
      db, kTerminalAudit, {0, UtcNowIso8601(clock), actor, action, child_id, detail.dump()});
}

Result<AuditReport> VerifyAudit(schema::Database& db) {
  return schema::VerifyAuditChain(db, kTerminalAudit);
}

Result<std::vector<wire::AuditEntry>> PendingAudit(schema::Database& db, size_t max) {
  ASSIGN_OR_RETURN(std::optional<std::string> pushed, schema::ReadMeta(db, kAuditPushedKey));
  int64_t after = 0;
  if (pushed) {
    auto [end, ec] = std::from_chars(pushed->data(), pushed->data() + pushed->size(), after);
    if (ec != std::errc() || end != pushed->data() + pushed->size() || after < 0) {
      return Status(ErrorCode::kCorruption,
                    Tr("审计日志的推送位置损坏", "the audit log's pushed position is damaged"));
    }
  }
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare(std::string("SELECT ") + schema::kAuditEntryColumns +
                              " FROM audit WHERE id > ? ORDER BY id LIMIT ?"));
  st.Bind(1, after).Bind(2, static_cast<int64_t>(max));
  std::vector<wire::AuditEntry> entries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    entries.push_back(schema::AuditEntryFromRow(st));
  }
  return entries;
}

Result<std::string> AuditLog::LastSyncAt() {
  ASSIGN_OR_RETURN(
      schema::Statement st,
      unit_.db().Prepare("SELECT at FROM audit WHERE action = 'sync' ORDER BY id DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnText(0) : std::string();
}

Status AcknowledgeAudit(schema::Database& db, uint64_t held_id) {
  return schema::WriteMeta(db, kAuditPushedKey, std::to_string(held_id));
}

}  // namespace onecard::terminal
