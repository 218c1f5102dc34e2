#include "identity_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "identity_decisions.h"
#include "identity_refresh_step.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_score.h"
#include "onecard/protocol/number_text.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;
using schema::Transaction;

// Brings the grouping up to date inside the caller's transaction, whatever it takes.
Status RefreshInThisTransaction(Database& db, IdentityRefreshStats& stats) {
  while (true) {
    ASSIGN_OR_RETURN(bool more, RefreshIdentitiesStep(db, RefreshStepBudget{}, stats));
    if (!more) return Status::Ok();
  }
}

// The person of `child_id` (its own id when alone).
Result<std::string> PersonOf(Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT person_id FROM identity_persons WHERE child_id = ?"));
  st.Bind(1, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnText(0) : child_id;
}

Status RequireChild(Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT 1 FROM children WHERE child_id = ?"));
  st.Bind(1, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kNotFound,
                  Tr("服务器上没有儿童 " + child_id, "no child " + child_id + " on the server"));
  return Status::Ok();
}

// The fields a supervisor compares, from a child's stored state; only the child id when there is
// no such child or its state cannot be read.
Result<ReviewRecord> LoadReviewRecord(Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT state FROM children WHERE child_id = ?"));
  st.Bind(1, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  Result<ChildState> state =
      row ? StoredChildState(st.ColumnText(0))
          : Result<ChildState>(Status(ErrorCode::kNotFound, "no child " + child_id));
  const json record = state.ok() ? state->Record() : json::object();
  const auto field = [&record](const char* name) -> std::optional<RecordValue> {
    auto it = record.find(name);
    return it == record.end() ? std::nullopt : std::optional<RecordValue>(*it);
  };
  return ReviewRecord{.child_id = child_id,
                      .name = field("name"),
                      .sex = field("sex"),
                      .birth_date = field("birth_date"),
                      .id_number = field("id_number"),
                      .hukou_area = field("hukou_area"),
                      .residence_area = field("residence_area"),
                      .card_serial = field("card_serial")};
}

}  // namespace

Status DecideIdentity(Database& db, IdentityCommand command, const std::string& a,
                      const std::string& b, const std::string& who) {
  if (a == b) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("两个儿童编号相同：" + a, "the two child ids are the same: " + a));
  }
  if (who.empty())
    return Status(ErrorCode::kInvalidArgument, Tr("--user 不能为空", "--user must not be empty"));
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  RETURN_IF_ERROR(RequireChild(db, a));
  RETURN_IF_ERROR(RequireChild(db, b));
  // Decide on the current grouping, not on one computed before newer children arrived (the
  // caller brought it up to date before taking the store: little is left, if anything).
  IdentityRefreshStats stats;
  RETURN_IF_ERROR(RefreshInThisTransaction(db, stats));
  ASSIGN_OR_RETURN(std::string pa, PersonOf(db, a));
  ASSIGN_OR_RETURN(std::string pb, PersonOf(db, b));
  const char* kind = "separate";
  if (command == IdentityCommand::kMerge) {
    if (pa == pb) {
      return Status(ErrorCode::kAlreadyExists, Tr(a + " 与 " + b + " 已是同一儿童",
                                                  a + " and " + b + " are already one child"));
    }
    kind = "merge";
  } else if (command == IdentityCommand::kUnmerge) {
    if (pa != pb) {
      return Status(ErrorCode::kFailedPrecondition,
                    Tr(a + " 与 " + b + " 未合并，无需拆分",
                       a + " and " + b + " are not merged: nothing to unmerge"));
    }
    kind = "unmerge";
  }
  RETURN_IF_ERROR(AppendDecision(db, kind, a, b, std::nullopt, 0, who));
  RETURN_IF_ERROR(MarkIdentityGroupingStale(db));
  RETURN_IF_ERROR(RefreshInThisTransaction(db, stats));
  ASSIGN_OR_RETURN(std::string qa, PersonOf(db, a));
  ASSIGN_OR_RETURN(std::string qb, PersonOf(db, b));
  if (command == IdentityCommand::kMerge && qa != qb) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("无法合并 " + a + " 与 " + b + "：其中的记录已被判定为不是同一儿童（review separate）",
           "cannot merge " + a + " and " + b +
               ": records of theirs were decided not to be the same child (review separate)"));
  }
  return tx.Commit();
}

Result<std::vector<ReviewQueueEntry>> IdentityReviewQueue(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT a, b, score, reasons FROM identity_review"));
  struct Row {
    std::string a, b;
    std::optional<double> score;  // none when the stored score is not a number
    uint32_t reasons;
  };
  std::vector<Row> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    rows.push_back({st.ColumnText(0), st.ColumnText(1), ParseDouble(st.ColumnText(2)),
                    static_cast<uint32_t>(st.ColumnInt(3))});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    if (x.score != y.score) return x.score > y.score;  // an unknown score (nullopt) sorts last
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  std::vector<ReviewQueueEntry> queue;
  for (const Row& r : rows) {
    ReviewQueueEntry& entry = queue.emplace_back();
    entry.a = r.a;
    entry.b = r.b;
    entry.score = r.score;
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
      if (r.reasons & bit) entry.reasons.push_back(DescribeIdentityReasons(bit));
    }
    entry.reasons_text = DescribeIdentityReasons(r.reasons);
    ASSIGN_OR_RETURN(entry.records[0], LoadReviewRecord(db, r.a));
    ASSIGN_OR_RETURN(entry.records[1], LoadReviewRecord(db, r.b));
  }
  return queue;
}

// The supervisor decision in force per pair (the last by kDecisionOrder): pair -> decision_id.
Result<std::map<std::pair<std::string, std::string>, int64_t>> DecisionsInForce(Database& db) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare(std::string("SELECT decision_id, a, b FROM identity_decisions WHERE "
                                          "kind IN ('merge', 'separate', 'unmerge') ORDER BY ") +
                              kDecisionOrder));
  std::map<std::pair<std::string, std::string>, int64_t> in_force;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    in_force[{row.ColumnText(1), row.ColumnText(2)}] = row.ColumnInt(0);
  }));
  return in_force;
}

Result<std::vector<DecisionLogEntry>> IdentityDecisionLog(Database& db) {
  ASSIGN_OR_RETURN(auto in_force, DecisionsInForce(db));
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT decision_id, kind, a, b, score, reasons, decided_by, "
                              "decided_at FROM identity_decisions ORDER BY decision_id"));
  std::vector<DecisionLogEntry> log;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return log;
    // A NULL score, or a stored score that is not a number: none.
    DecisionLogEntry& entry = log.emplace_back(DecisionLogEntry{
        st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
        ParseDouble(st.ColumnText(4)), st.ColumnInt(5), st.ColumnText(6), st.ColumnText(7)});
    auto winner = in_force.find({entry.a, entry.b});
    entry.superseded = winner != in_force.end() && winner->second != entry.decision_id;
  }
}

}  // namespace onecard::server
