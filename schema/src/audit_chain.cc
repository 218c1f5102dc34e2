#include "onecard/schema/audit_chain.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "onecard/protocol/i18n.h"
#include "onecard/schema/meta_table.h"

namespace onecard::schema {
namespace {

using nlohmann::json;

// The head: the last hash and the count (genesis and 0 for an empty chain).
Result<std::pair<std::string, int64_t>> Head(Database& db, const AuditChainTable& chain) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, ReadMeta(db, chain.head_key));
  if (!text) return std::pair<std::string, int64_t>{kAuditGenesisHash, 0};
  json head = json::parse(*text, nullptr, false);
  if (!head.is_object() || !head["hash"].is_string() || !head["count"].is_number_integer()) {
    return Status(ErrorCode::kCorruption, Tr("审计日志头损坏", "the audit log head is damaged"));
  }
  return std::pair<std::string, int64_t>{head["hash"].get<std::string>(),
                                         head["count"].get<int64_t>()};
}

AuditChainReport Broken(AuditChainReport report, int64_t id, const std::string& zh,
                        const std::string& en) {
  report.intact = false;
  report.first_bad_id = id;
  report.problem = Tr(zh, en);
  return report;
}

}  // namespace

Status AppendAuditChainEntry(Database& db, const AuditChainTable& chain, AuditChainEntry entry) {
  ASSIGN_OR_RETURN(auto head, Head(db, chain));
  const int64_t id = head.second + 1;
  entry.id = id;
  const std::string hash = AuditEntryHash(head.first, entry, chain.subject_column);
  ASSIGN_OR_RETURN(Statement ins, db.Prepare(std::string("INSERT INTO ") + chain.table +
                                             "(id, at, actor, action, " + chain.subject_column +
                                             ", detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, "
                                             "?, ?, ?)"));
  RETURN_IF_ERROR(ins.Bind(1, id)
                      .Bind(2, entry.at)
                      .Bind(3, entry.actor)
                      .Bind(4, entry.action)
                      .Bind(5, entry.subject)
                      .Bind(6, entry.detail)
                      .Bind(7, head.first)
                      .Bind(8, hash)
                      .Run());
  return WriteMeta(db, chain.head_key, json{{"hash", hash}, {"count", id}}.dump());
}

Result<AuditChainReport> VerifyAuditChain(Database& db, const AuditChainTable& chain) {
  ASSIGN_OR_RETURN(auto head, Head(db, chain));
  ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string("SELECT id, at, actor, action, "
                                                        "coalesce(") +
                                            chain.subject_column +
                                            ", ''), detail, prev_hash, "
                                            "hash FROM " +
                                            chain.table + " ORDER BY id"));
  AuditChainReport report;
  std::string prev = kAuditGenesisHash;
  for (int64_t expected_id = 1;; ++expected_id) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const int64_t id = st.ColumnInt(0);
    const std::string n = std::to_string(id);
    if (id != expected_id) {
      const std::string missing = std::to_string(expected_id);
      return Broken(report, expected_id, "审计记录 " + missing + " 缺失",
                    "audit entry " + missing + " is missing");
    }
    if (st.ColumnText(6) != prev) {
      return Broken(report, id, "审计记录 " + n + " 与前一条记录不衔接",
                    "audit entry " + n + " does not chain to the previous entry");
    }
    const AuditChainEntry entry{id,
                                st.ColumnText(1),
                                st.ColumnText(2),
                                st.ColumnText(3),
                                st.ColumnText(4),
                                st.ColumnText(5)};
    const std::string hash = AuditEntryHash(prev, entry, chain.subject_column);
    if (hash != st.ColumnText(7)) {
      return Broken(report, id, "审计记录 " + n + " 已被修改", "audit entry " + n + " was altered");
    }
    prev = hash;
    ++report.entries;
  }
  if (report.entries != head.second || prev != head.first) {
    return Broken(report, report.entries + 1, "审计日志末尾的记录被删除",
                  "entries were removed from the end of the audit log");
  }
  return report;
}

}  // namespace onecard::schema
