#include "onecard/terminal/audit_log.h"

#include <charconv>

#include "onecard/protocol/audit_chain.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/audit_rows.h"
#include "onecard/schema/meta_table.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// The meta key of the chain's head: {"hash": last entry's hash, "count": entries}.
constexpr char kAuditHeadKey[] = "audit_head";
// The meta key of the last entry id the server acknowledged holding (AuditAck.held_id).
constexpr char kAuditPushedKey[] = "audit_pushed";
constexpr const char* kGenesis = kAuditGenesisHash;

std::string EntryHash(const std::string& prev, int64_t id, const std::string& at,
                      const std::string& actor, const std::string& action,
                      const std::string& child_id, const std::string& detail) {
  return AuditEntryHash(prev, {id, at, actor, action, child_id, detail});
}

Result<std::pair<std::string, int64_t>> Head(schema::Database& db) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, schema::ReadMeta(db, kAuditHeadKey));
  if (!text) return std::pair<std::string, int64_t>{kGenesis, 0};
  json head = json::parse(*text, nullptr, false);
  if (!head.is_object() || !head["hash"].is_string() || !head["count"].is_number_integer()) {
    return Status(ErrorCode::kCorruption, Tr("审计日志头损坏", "the audit log head is damaged"));
  }
  return std::pair<std::string, int64_t>{head["hash"].get<std::string>(),
                                         head["count"].get<int64_t>()};
}

}  // namespace

Status AppendAudit(schema::Database& db, const platform::Clock& clock, const std::string& actor,
                   const std::string& action, const std::string& child_id, const json& detail) {
  ASSIGN_OR_RETURN(auto head, Head(db));
  int64_t id = head.second + 1;
  std::string at = UtcNowIso8601(clock);
  std::string detail_text = detail.dump();
  std::string hash = EntryHash(head.first, id, at, actor, action, child_id, detail_text);
  ASSIGN_OR_RETURN(schema::Statement ins,
                   db.Prepare("INSERT INTO audit(id, at, actor, action, child_id, detail, "
                              "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(ins.Bind(1, id)
                      .Bind(2, at)
                      .Bind(3, actor)
                      .Bind(4, action)
                      .Bind(5, child_id)
                      .Bind(6, detail_text)
                      .Bind(7, head.first)
                      .Bind(8, hash)
                      .Run());
  return schema::WriteMeta(db, kAuditHeadKey, json{{"hash", hash}, {"count", id}}.dump());
}

Result<AuditReport> VerifyAudit(schema::Database& db) {
  ASSIGN_OR_RETURN(auto head, Head(db));
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT id, at, actor, action, coalesce(child_id, ''), detail, "
                              "prev_hash, hash FROM audit ORDER BY id"));
  AuditReport report;
  std::string prev = kGenesis;
  int64_t expected_id = 1;
  auto fail = [&](int64_t id, const std::string& zh, const std::string& en) {
    report.intact = false;
    report.first_bad_id = id;
    report.problem = Tr(zh, en);
    return report;
  };
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    int64_t id = st.ColumnInt(0);
    if (id != expected_id) {
      return fail(expected_id, "审计记录 " + std::to_string(expected_id) + " 缺失",
                  "audit entry " + std::to_string(expected_id) + " is missing");
    }
    if (st.ColumnText(6) != prev) {
      return fail(id, "审计记录 " + std::to_string(id) + " 与前一条记录不衔接",
                  "audit entry " + std::to_string(id) + " does not chain to the previous entry");
    }
    std::string hash = EntryHash(prev, id, st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
                                 st.ColumnText(4), st.ColumnText(5));
    if (hash != st.ColumnText(7)) {
      return fail(id, "审计记录 " + std::to_string(id) + " 已被修改",
                  "audit entry " + std::to_string(id) + " was altered");
    }
    prev = hash;
    ++expected_id;
    ++report.entries;
  }
  if (report.entries != head.second || prev != head.first) {
    return fail(report.entries + 1, "审计日志末尾的记录被删除",
                "entries were removed from the end of the audit log");
  }
  return report;
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

Status AcknowledgeAudit(schema::Database& db, uint64_t held_id) {
  return schema::WriteMeta(db, kAuditPushedKey, std::to_string(held_id));
}

}  // namespace onecard::terminal
