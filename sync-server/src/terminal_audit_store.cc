#include "terminal_audit_store.h"

#include "onecard/schema/audit_rows.h"
#include "terminal_audit_check.h"

namespace onecard::server {
namespace {

using schema::Database;
using schema::Statement;

struct StoredHead {
  AuditChainHead head;
  bool has_problem = false;
};

Result<StoredHead> LoadHead(Database& db, const std::string& terminal_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT last_id, last_hash, problem IS NOT NULL "
                                            "FROM terminal_audit_heads WHERE terminal_id = ?"));
  ASSIGN_OR_RETURN(bool row, st.Bind(1, terminal_id).Step());
  StoredHead stored;
  if (row) {
    stored.head = {st.ColumnInt(0), st.ColumnText(1)};
    stored.has_problem = st.ColumnInt(2) != 0;
  }
  return stored;
}

// The copies held of entry `id`, the first received first.
Result<std::vector<wire::AuditEntry>> HeldCopies(Statement& st, const std::string& terminal_id,
                                                 int64_t id) {
  RETURN_IF_ERROR(st.Reset());
  st.Bind(1, terminal_id).Bind(2, id);
  std::vector<wire::AuditEntry> copies;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    copies.push_back(schema::AuditEntryFromRow(st));
  }
  return copies;
}

Status InsertCopy(Statement& st, const std::string& terminal_id, const wire::AuditEntry& e,
                  int64_t copy, int64_t now_ms) {
  RETURN_IF_ERROR(st.Reset());
  return st.Bind(1, terminal_id)
      .Bind(2, static_cast<int64_t>(e.id()))
      .Bind(3, copy)
      .Bind(4, e.at())
      .Bind(5, e.actor())
      .Bind(6, e.action())
      .Bind(7, e.child_id())
      .Bind(8, e.detail())
      .Bind(9, e.prev_hash())
      .Bind(10, e.hash())
      .Bind(11, now_ms)
      .Run();
}

Status SaveHead(Database& db, const std::string& terminal_id, const AuditChainHead& head) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO terminal_audit_heads(terminal_id, last_id, last_hash) "
                              "VALUES (?, ?, ?) ON CONFLICT(terminal_id) DO UPDATE SET "
                              "last_id = excluded.last_id, last_hash = excluded.last_hash"));
  return st.Bind(1, terminal_id).Bind(2, head.last_id).Bind(3, head.last_hash).Run();
}

Status SaveProblem(Database& db, const std::string& terminal_id, const AuditProblem& problem,
                   int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("UPDATE terminal_audit_heads SET problem = ?, problem_id = ?, "
                              "problem_to = ?, problem_at_ms = ? WHERE terminal_id = ?"));
  return st.Bind(1, AuditProblemCode(problem.kind))
      .Bind(2, problem.id)
      .Bind(3, problem.to)
      .Bind(4, now_ms)
      .Bind(5, terminal_id)
      .Run();
}

}  // namespace

Result<AuditReceipt> StoreTerminalAuditEntries(Database& db, const std::string& terminal_id,
                                               const std::vector<wire::AuditEntry>& entries,
                                               int64_t now_ms) {
  ASSIGN_OR_RETURN(StoredHead stored, LoadHead(db, terminal_id));
  ASSIGN_OR_RETURN(
      Statement held_st,
      db.Prepare(std::string("SELECT ") + schema::kAuditEntryColumns +
                 " FROM terminal_audit WHERE terminal_id = ? AND id = ? ORDER BY copy"));
  ASSIGN_OR_RETURN(Statement insert_st,
                   db.Prepare("INSERT INTO terminal_audit(terminal_id, id, copy, at, actor, "
                              "action, child_id, detail, prev_hash, hash, received_at_ms) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  AuditReceipt receipt;
  for (const wire::AuditEntry& entry : entries) {
    ASSIGN_OR_RETURN(std::vector<wire::AuditEntry> held,
                     HeldCopies(held_st, terminal_id, static_cast<int64_t>(entry.id())));
    AuditEntryVerdict verdict = CheckAuditEntry(stored.head, entry, held);
    if (verdict.store) {
      RETURN_IF_ERROR(
          InsertCopy(insert_st, terminal_id, entry, static_cast<int64_t>(held.size()), now_ms));
    }
    if (verdict.problem.kind != AuditProblemKind::kNone && !stored.has_problem &&
        receipt.new_problem.kind == AuditProblemKind::kNone) {
      receipt.new_problem = verdict.problem;
    }
  }
  RETURN_IF_ERROR(SaveHead(db, terminal_id, stored.head));
  if (receipt.new_problem.kind != AuditProblemKind::kNone) {
    RETURN_IF_ERROR(SaveProblem(db, terminal_id, receipt.new_problem, now_ms));
  }
  receipt.held_id = static_cast<uint64_t>(stored.head.last_id);
  return receipt;
}

Result<std::vector<TerminalAuditState>> LoadTerminalAudits(Database& db) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT t.terminal_id, t.revoked_at IS NOT NULL, "
                 "(SELECT count(DISTINCT a.id) FROM terminal_audit a "
                 " WHERE a.terminal_id = t.terminal_id), "
                 "coalesce(h.last_id, 0), coalesce(h.problem, ''), coalesce(h.problem_id, 0), "
                 "coalesce(h.problem_to, 0) FROM terminals t "
                 "LEFT JOIN terminal_audit_heads h ON h.terminal_id = t.terminal_id "
                 "ORDER BY t.terminal_id"));
  std::vector<TerminalAuditState> states;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    TerminalAuditState& s = states.emplace_back();
    s.terminal_id = st.ColumnText(0);
    s.revoked = st.ColumnInt(1) != 0;
    s.entries = st.ColumnInt(2);
    s.last_id = st.ColumnInt(3);
    if (std::optional<AuditProblemKind> kind = ParseAuditProblemCode(st.ColumnText(4))) {
      s.problem = {*kind, st.ColumnInt(5), st.ColumnInt(6)};
    }
  }
  return states;
}

}  // namespace onecard::server
