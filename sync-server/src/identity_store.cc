#include "identity_store.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <tuple>

#include "identity_grouping.h"
#include "identity_sync_publish.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/identity_resolver.h"
#include "onecard/protocol/identity_score.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "stats_cube.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;
using schema::Transaction;

constexpr char kResolver[] = "resolver";

Result<int64_t> ChildrenThroughSeq(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT coalesce(max(change_seq), 0) FROM children"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

Result<int64_t> RefreshedThroughSeq(Database& db) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT through_seq FROM identity_refresh WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : -1;
}

// The latest supervisor decision per pair.
Result<IdentityDecisions> LoadDecisions(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT a, b, kind FROM identity_decisions WHERE kind "
                                            "IN ('merge', 'separate', 'unmerge') "
                                            "ORDER BY decision_id"));
  IdentityDecisions decisions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string kind = st.ColumnText(2);
    decisions[{st.ColumnText(0), st.ColumnText(1)}] = kind == "merge" ? IdentityDecisionKind::kMerge
                                                      : kind == "separate"
                                                          ? IdentityDecisionKind::kSeparate
                                                          : IdentityDecisionKind::kUnmerge;
  }
  return decisions;
}

Status AppendDecision(Database& db, const std::string& kind, const std::string& a,
                      const std::string& b, std::optional<double> score, uint32_t reasons,
                      const std::string& who) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO identity_decisions(kind, a, b, score, reasons, "
                              "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, kind).Bind(2, std::min(a, b)).Bind(3, std::max(a, b));
  // Scores are halves at most (identity_score.h): stored exactly as REAL through text.
  if (score) {
    st.Bind(4, std::to_string(*score));
  } else {
    st.BindNull(4);
  }
  return st.Bind(5, static_cast<int64_t>(reasons))
      .Bind(6, who)
      .Bind(7, UtcNowIso8601(platform::SystemClock()))
      .Run();
}

// Brings identity_records up to date: the children changed since it was last updated (all of
// them when `rebuild`) are read from their merged states. Unreadable states are counted and left
// out (a later change of the child brings it in).
Status UpdateIdentityRecords(Database& db, bool rebuild, IdentityRefreshStats& stats) {
  if (rebuild) RETURN_IF_ERROR(db.Exec("DELETE FROM identity_records"));
  // A rebuild scans the table in order; an update goes through the change_seq index.
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare(rebuild ? "SELECT child_id, state, change_seq FROM children"
                         : "SELECT child_id, state, change_seq FROM children WHERE change_seq > "
                           "(SELECT coalesce(max(change_seq), -1) FROM identity_records)"));
  ASSIGN_OR_RETURN(
      Statement put,
      db.Prepare(
          "INSERT INTO identity_records(child_id, change_seq, recency, fields) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(child_id) DO UPDATE SET change_seq = excluded.change_seq, recency = "
          "excluded.recency, "
          "fields = excluded.fields"));
  // Rows are written after the scan, in key order, not while scanning the children in change
  // order (which touched pages all over the table).
  struct Row {
    std::string child_id;
    int64_t change_seq;
    int64_t recency;
    std::string fields;
  };
  std::vector<Row> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string child_id = st.ColumnText(0);
    Result<ChildState> state = StoredChildState(st.ColumnText(1));
    if (!state.ok()) {
      ++stats.unreadable;
      continue;
    }
    json record = state->Record();
    json fields = json::object();
    for (const char* f : {"name", "sex", "birth_date", "id_number", "card_serial", "hukou_area",
                          "residence_area"}) {
      if (auto it = record.find(f); it != record.end()) fields[f] = *it;
    }
    if (auto it = record.find("guardians"); it != record.end() && it->is_array()) {
      json guardians = json::array();
      for (const json& g : *it) {
        if (!g.is_object()) continue;
        json kept = json::object();
        for (const char* f : {"relation", "name", "id_number"}) {
          if (auto gf = g.find(f); gf != g.end()) kept[f] = *gf;
        }
        guardians.push_back(std::move(kept));
      }
      fields["guardians"] = std::move(guardians);
    }
    rows.push_back(
        {child_id, st.ColumnInt(2), static_cast<int64_t>(state->Latest().hlc), fields.dump()});
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& x, const Row& y) { return x.child_id < y.child_id; });
  for (const Row& r : rows) {
    RETURN_IF_ERROR(
        put.Bind(1, r.child_id).Bind(2, r.change_seq).Bind(3, r.recency).Bind(4, r.fields).Run());
    RETURN_IF_ERROR(put.Reset());
  }
  return Status::Ok();
}

using RefreshClock = std::chrono::steady_clock;

double SecondsSince(RefreshClock::time_point t) {
  return std::chrono::duration<double>(RefreshClock::now() - t).count();
}

// Adds every identity record to `resolver` and appends its child to `records` (same order).
// Records whose fields do not make an identity, or that the resolver refuses, are counted in
// stats.unreadable and left out of both.
Status ReadIdentityRecords(Database& db, IdentityResolver& resolver,
                           std::vector<GroupedRecord>& records, IdentityRefreshStats& stats) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT child_id, recency, fields FROM identity_records"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string child_id = st.ColumnText(0);
    json fields = json::parse(st.ColumnText(2), nullptr, /*allow_exceptions=*/false);
    auto identity = IdentityRecordFromChild(fields, child_id);
    if (!identity.ok() || !resolver.Add(std::move(identity).value()).ok()) {
      ++stats.unreadable;
      continue;
    }
    records.push_back({child_id, static_cast<uint64_t>(st.ColumnInt(1))});
  }
  return Status::Ok();
}

// Logs (as resolver decisions) the automatic links of `grouping` that appeared since the last
// refresh, then those that disappeared, read from identity_links before it is rewritten.
// A stored score that is not a number is logged as none (NULL) when its link disappears.
Status LogAutoLinkChanges(Database& db, const IdentityGrouping& grouping) {
  std::map<std::pair<std::string, std::string>, std::pair<std::optional<double>, uint32_t>> before;
  {
    ASSIGN_OR_RETURN(
        Statement st,
        db.Prepare("SELECT a, b, score, reasons FROM identity_links WHERE kind = 'auto'"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      before[{st.ColumnText(0), st.ColumnText(1)}] = {ParseDouble(st.ColumnText(2)),
                                                      static_cast<uint32_t>(st.ColumnInt(3))};
    }
  }
  for (const GroupedLink& l : grouping.links) {
    if (l.merged) continue;
    if (before.erase({l.a, l.b}) == 0)
      RETURN_IF_ERROR(AppendDecision(db, "auto_link", l.a, l.b, l.score, l.reasons, kResolver));
  }
  for (const auto& [pair, was] : before) {
    RETURN_IF_ERROR(AppendDecision(db, "auto_unlink", pair.first, pair.second, was.first,
                                   was.second, kResolver));
  }
  return Status::Ok();
}

Status WritePersons(Database& db, const std::vector<Person>& persons) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO identity_persons(child_id, person_id, current) VALUES (?, ?, ?)"));
  for (const Person& p : persons) {
    for (const std::string& m : p.members) {
      RETURN_IF_ERROR(
          st.Bind(1, m).Bind(2, p.person_id).Bind(3, static_cast<int64_t>(m == p.current)).Run());
      RETURN_IF_ERROR(st.Reset());
    }
  }
  return Status::Ok();
}

Status WriteLinks(Database& db, const std::vector<GroupedLink>& links) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO identity_links(a, b, kind, score, reasons) VALUES (?, ?, ?, ?, ?)"));
  for (const GroupedLink& l : links) {
    RETURN_IF_ERROR(st.Bind(1, l.a)
                        .Bind(2, l.b)
                        .Bind(3, l.merged ? "merge" : "auto")
                        .Bind(4, std::to_string(l.score))
                        .Bind(5, static_cast<int64_t>(l.reasons))
                        .Run());
    RETURN_IF_ERROR(st.Reset());
  }
  return Status::Ok();
}

Status WriteReview(Database& db, const std::vector<IdentityPair>& review) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO identity_review(a, b, score, reasons) VALUES (?, ?, ?, ?)"));
  for (const IdentityPair& p : review) {
    RETURN_IF_ERROR(st.Bind(1, p.a)
                        .Bind(2, p.b)
                        .Bind(3, std::to_string(p.score))
                        .Bind(4, static_cast<int64_t>(p.reasons))
                        .Run());
    RETURN_IF_ERROR(st.Reset());
  }
  return Status::Ok();
}

// Replaces the derived tables (persons, links, review queue) by `grouping`, in that order.
Status WriteGrouping(Database& db, const IdentityGrouping& grouping) {
  RETURN_IF_ERROR(db.Exec(
      "DELETE FROM identity_persons; DELETE FROM identity_links; DELETE FROM identity_review;"));
  RETURN_IF_ERROR(WritePersons(db, grouping.persons));
  RETURN_IF_ERROR(WriteLinks(db, grouping.links));
  return WriteReview(db, grouping.review);
}

// Records the refresh as done through children change `through`. The seconds stored are
// `earlier_seconds` plus the time since `phase` (taken once the statement is prepared).
Status MarkRefreshed(Database& db, int64_t through, double earlier_seconds,
                     RefreshClock::time_point phase, size_t records) {
  ASSIGN_OR_RETURN(
      Statement mark,
      db.Prepare("INSERT INTO identity_refresh(id, through_seq, refreshed_at, seconds, records) "
                 "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET through_seq = ?1, "
                 "refreshed_at = ?2, seconds = ?3, records = ?4"));
  const double seconds = earlier_seconds + SecondsSince(phase);
  return mark.Bind(1, through)
      .Bind(2, UtcNowIso8601(platform::SystemClock()))
      .Bind(3, std::to_string(seconds))
      .Bind(4, static_cast<int64_t>(records))
      .Run();
}

// The grouping from the current children and decisions, written over the derived tables; the
// automatic links that appeared or disappeared are logged. Runs inside the caller's transaction.
Result<IdentityRefreshStats> RefreshLocked(Database& db, bool rebuild) {
  auto phase = RefreshClock::now();
  IdentityRefreshStats stats;
  stats.refreshed = true;
  ASSIGN_OR_RETURN(int64_t through, ChildrenThroughSeq(db));
  // Read: bring identity_records up to date, then load them all into the resolver.
  IdentityResolver resolver;
  std::vector<GroupedRecord> records;
  RETURN_IF_ERROR(UpdateIdentityRecords(db, rebuild, stats));
  RETURN_IF_ERROR(ReadIdentityRecords(db, resolver, records, stats));
  stats.records = records.size();
  stats.read_seconds = SecondsSince(phase);
  // Resolve: candidate pairs, then the grouping under the supervisors' decisions.
  phase = RefreshClock::now();
  IdentityResolution resolution = resolver.Resolve();
  stats.candidate_pairs = resolution.candidate_pairs;
  ASSIGN_OR_RETURN(IdentityDecisions decisions, LoadDecisions(db));
  IdentityGrouping grouping = GroupIdentities(records, resolution, decisions);
  stats.resolve_seconds = SecondsSince(phase);
  // Write: log link changes, rewrite the derived tables, publish, mark the refresh.
  phase = RefreshClock::now();
  RETURN_IF_ERROR(LogAutoLinkChanges(db, grouping));
  RETURN_IF_ERROR(WriteGrouping(db, grouping));
  // The statistics count each person's current record (stats_cube.h).
  RETURN_IF_ERROR(KeepStatsWithPersons(db));
  // Terminals receive what changed in the queue and the persons (sync.md, "Identity review").
  RETURN_IF_ERROR(PublishIdentityForSync(db).status());
  RETURN_IF_ERROR(MarkRefreshed(db, through, stats.read_seconds + stats.resolve_seconds, phase,
                                records.size()));
  stats.write_seconds = SecondsSince(phase);
  stats.persons = grouping.persons.size();
  stats.links = grouping.links.size();
  stats.review = grouping.review.size();
  return stats;
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

Result<IdentityRefreshStats> RefreshIdentities(Database& db, bool force) {
  // The check reads without the write lock, so that a current grouping never waits for (or
  // blocks) the sync service's ingest; a refresh re-reads everything under the lock.
  if (!force) {
    ASSIGN_OR_RETURN(int64_t done, RefreshedThroughSeq(db));
    ASSIGN_OR_RETURN(int64_t now, ChildrenThroughSeq(db));
    if (done == now) return IdentityRefreshStats{};
  }
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  ASSIGN_OR_RETURN(IdentityRefreshStats stats, RefreshLocked(db, /*rebuild=*/force));
  RETURN_IF_ERROR(tx.Commit());
  return stats;
}

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
  // Decide on the current grouping, not on one computed before newer children arrived.
  ASSIGN_OR_RETURN(int64_t done, RefreshedThroughSeq(db));
  ASSIGN_OR_RETURN(int64_t now, ChildrenThroughSeq(db));
  if (done != now) RETURN_IF_ERROR(RefreshLocked(db, /*rebuild=*/false).status());
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
  RETURN_IF_ERROR(RefreshLocked(db, /*rebuild=*/false).status());
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

Result<std::vector<DecisionLogEntry>> IdentityDecisionLog(Database& db) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT decision_id, kind, a, b, score, reasons, decided_by, "
                              "decided_at FROM identity_decisions ORDER BY decision_id"));
  std::vector<DecisionLogEntry> log;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return log;
    // A NULL score, or a stored score that is not a number: none.
    log.push_back({st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
                   ParseDouble(st.ColumnText(4)), st.ColumnInt(5), st.ColumnText(6),
                   st.ColumnText(7)});
  }
}

}  // namespace onecard::server
