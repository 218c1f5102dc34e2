// ServerStore: identity review at terminals (sync.md, "Identity review"; docs/identity-server.md,
// "Review at terminals"). Supervisors' decisions arrive as "identity.decision" events and are only
// recorded here: ingest never resolves. The grouping is refreshed before a pull page when children
// or decisions changed (RefreshIdentitiesForPullLocked), and each refresh publishes what changed
// (identity_sync_publish.h) under numbers of the change sequence that pulls deliver.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "identity_refresh_step.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;

constexpr size_t kMaxStaffNameBytes = 100;

Status BadDecision(const wire::Event& event, const std::string& zh, const std::string& en) {
  std::string seq = std::to_string(event.seq());
  return Status(ErrorCode::kInvalidArgument, Tr("事件 " + seq + "（身份审核决定）" + zh,
                                                "event " + seq + " (identity.decision) " + en));
}

// A pair concerns the site when either record is in its area scope now (as for children, a pair
// whose records both moved out of the scope is no longer sent).
constexpr char kIdentityReviewPull[] =
    "SELECT a, b, score, reasons, records, removed, change_seq FROM identity_review_sync AS r "
    "WHERE change_seq > ?1 AND EXISTS (SELECT 1 FROM children AS c WHERE c.child_id IN (r.a, r.b) "
    "AND (substr(c.residence_area, 1, ?2) = ?3 OR substr(c.hukou_area, 1, ?2) = ?3)) "
    "ORDER BY change_seq LIMIT ?4";

// A person concerns the site when any record it has ever held is in its area scope, so that the
// site also learns when the person is changed or dissolved.
constexpr char kPersonsPull[] =
    "SELECT person_id, members, change_seq FROM identity_person_sync AS p WHERE change_seq > ?1 "
    "AND EXISTS (SELECT 1 FROM identity_person_sync_scope AS s JOIN children AS c ON c.child_id = "
    "s.child_id WHERE s.person_id = p.person_id AND (substr(c.residence_area, 1, ?2) = ?3 OR "
    "substr(c.hukou_area, 1, ?2) = ?3)) ORDER BY change_seq LIMIT ?4";

// Prepares a pull query scoped to the site's area, with ?1 the cursor, ?2 the length of the area
// prefix, ?3 the prefix and ?4 the most rows of the page.
Result<Statement> PrepareScopedPull(Database& db, const char* sql, const PullScope& scope,
                                    uint64_t cursor, uint32_t limit) {
  const std::string prefix = AreaScopePrefix(scope.area);
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.Bind(1, static_cast<int64_t>(cursor))
      .Bind(2, static_cast<int64_t>(prefix.size()))
      .Bind(3, prefix)
      .Bind(4, static_cast<int64_t>(limit));
  return st;
}

std::string JsonText(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void ReadSummary(const json& j, wire::IdentityRecordSummary& out) {
  out.set_child_id(JsonText(j, "child_id"));
  out.set_name(JsonText(j, "name"));
  out.set_sex(JsonText(j, "sex"));
  out.set_birth_date(JsonText(j, "birth_date"));
  out.set_hukou_area(JsonText(j, "hukou_area"));
  out.set_residence_area(JsonText(j, "residence_area"));
}

}  // namespace

// A pull brings the grouping up to date itself only when the backlog is what a few terminals' syncs
// bring (kPullBacklog changed children or records waiting to be indexed), in small steps: at least
// the three that a small deployment needs (copy, index, apply decisions), then more only while
// within kPullTime. So a terminal of a small deployment sees a decision or a new review pair at its
// very next pull, however loaded the machine, and no pull waits long when records are costly
// (hundreds of doubtful partners each). The rest is done by the background refresh of `serve`
// (SyncStore::RefreshInBackground) and by the reports.
Status ServerStore::RefreshIdentitiesForPullLocked() {
  constexpr int64_t kPullBacklog = 256;
  constexpr size_t kPullMinSteps = 3;
  constexpr auto kPullTime = std::chrono::milliseconds(50);
  ASSIGN_OR_RETURN(bool current, IdentityGroupingCurrent(db_));
  if (current) return Status::Ok();
  ASSIGN_OR_RETURN(bool small, IdentityBacklogAtMost(db_, kPullBacklog));
  if (!small) return Status::Ok();
  RefreshStepBudget budget;
  budget.records_per_page = 4;
  const auto start = std::chrono::steady_clock::now();
  IdentityRefreshStats stats;
  while (true) {
    ASSIGN_OR_RETURN(bool more, RunRefreshStep(db_, budget, stats));
    if (!more) break;
    if (stats.steps >= kPullMinSteps && std::chrono::steady_clock::now() - start >= kPullTime)
      break;
  }
  return Status::Ok();
}

Status ServerStore::LoadIdentityReviewLocked(const PullScope& scope, uint64_t cursor,
                                             uint32_t limit, std::vector<PullItem>& items) {
  ASSIGN_OR_RETURN(Statement st, PrepareScopedPull(db_, kIdentityReviewPull, scope, cursor, limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::IdentityReviewItem item;
    item.set_a(row.ColumnText(0));
    item.set_b(row.ColumnText(1));
    item.set_removed(row.ColumnInt(5) != 0);
    if (!item.removed()) {
      item.set_score(ParseDouble(row.ColumnText(2)).value_or(0.0));  // written by the refresh
      item.set_reasons(static_cast<uint32_t>(row.ColumnInt(3)));
      json records = json::parse(row.ColumnText(4), nullptr, false);
      if (records.is_array() && records.size() == 2) {
        ReadSummary(records[0], *item.mutable_record_a());
        ReadSummary(records[1], *item.mutable_record_b());
      }
    }
    items.push_back({row.ColumnInt(6), [item = std::move(item)](wire::PullPage& page) {
                       *page.add_identity_review() = item;
                     }});
  }));
  return Status::Ok();
}

Status ServerStore::LoadPersonsLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                                      std::vector<PullItem>& items) {
  ASSIGN_OR_RETURN(Statement st, PrepareScopedPull(db_, kPersonsPull, scope, cursor, limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::PersonGroup person;
    person.set_person_id(row.ColumnText(0));
    json members = json::parse(row.ColumnText(1), nullptr, false);
    if (members.is_array()) {
      for (const json& m : members) {
        if (m.is_string()) person.add_members(m.get<std::string>());
      }
    }
    items.push_back({row.ColumnInt(2), [person = std::move(person)](wire::PullPage& page) {
                       *page.add_persons() = person;
                     }});
  }));
  return Status::Ok();
}

Status ServerStore::IngestIdentityDecisionLocked(const std::string& terminal_id,
                                                 const wire::Event& event,
                                                 const CheckedEvent& checked,
                                                 const std::string& received_at) {
  if (event.seq() == 0) return BadDecision(event, "没有序号", "has no sequence number");
  // A replay changes nothing (and is not checked again: the children may have moved since).
  ASSIGN_OR_RETURN(bool replay, EventSettledLocked(terminal_id, event.seq()));
  if (replay) return Status::Ok();

  const IdentityDecisionEvent& read = std::get<IdentityDecisionEvent>(*checked.body);
  const std::string& a = read.a;
  const std::string& b = read.b;
  const std::string& decision = read.decision;
  const std::string& by = read.by;
  if (a.empty() || b.empty())
    return BadDecision(event, "缺少儿童编号 a 或 b", "lacks child id a or b");
  if (a == b)
    return BadDecision(event, "的两个儿童编号相同：" + a, "names the same child twice: " + a);
  if (event.child_id() != a) {
    return BadDecision(event, "的儿童编号与内容中的 a 不一致", "has a child_id other than its a");
  }
  if (decision != "merge" && decision != "separate" && decision != "unmerge") {
    return BadDecision(
        event, "的决定无效：" + decision + "（应为 merge、separate 或 unmerge）",
        "has an invalid decision: " + decision + " (use merge, separate or unmerge)");
  }
  if (by.empty() || by.size() > kMaxStaffNameBytes) {
    return BadDecision(event, "缺少做出决定的工作人员（by）",
                       "lacks the deciding staff member (by)");
  }

  ASSIGN_OR_RETURN(Statement * site_of,
                   CachedLocked("SELECT s.area FROM terminals AS t JOIN sites AS s ON s.site_id = "
                                "t.site_id WHERE t.terminal_id = ?"));
  site_of->Bind(1, terminal_id);
  ASSIGN_OR_RETURN(bool has_site, site_of->Step());
  const std::string prefix = has_site ? AreaScopePrefix(site_of->ColumnText(0)) : "";
  RETURN_IF_ERROR(site_of->Reset());
  ASSIGN_OR_RETURN(
      Statement * child,
      CachedLocked("SELECT residence_area, hukou_area FROM children WHERE child_id = ?"));
  bool concerned = false;
  for (const std::string& id : {a, b}) {
    RETURN_IF_ERROR(child->Reset());
    child->Bind(1, id);
    ASSIGN_OR_RETURN(bool known, child->Step());
    if (!known) {
      RETURN_IF_ERROR(child->Reset());
      return BadDecision(event, "的儿童 " + id + " 在服务器上不存在",
                         "names child " + id + ", unknown at the server");
    }
    if (has_site &&
        (child->ColumnText(0).starts_with(prefix) || child->ColumnText(1).starts_with(prefix))) {
      concerned = true;
    }
  }
  RETURN_IF_ERROR(child->Reset());
  if (!concerned) {
    return BadDecision(event, "：" + a + " 与 " + b + " 都不在本终端站点的辖区内",
                       ": neither " + a + " nor " + b + " is in the area of the terminal's site");
  }

  // Recorded like the server's own review commands (identity_store.h), at the time the event says
  // it was made: the decision made last per pair counts at the next refresh (kDecisionOrder).
  ASSIGN_OR_RETURN(Statement * log,
                   CachedLocked("INSERT INTO identity_decisions(kind, a, b, score, reasons, "
                                "decided_by, decided_at, decided_hlc) VALUES (?, ?, ?, NULL, 0, "
                                "?, ?, ?)"));
  RETURN_IF_ERROR(log->Bind(1, decision)
                      .Bind(2, std::min(a, b))
                      .Bind(3, std::max(a, b))
                      .Bind(4, by + " @ " + terminal_id)
                      .Bind(5, UtcIso8601(static_cast<int64_t>((event.hlc() >> 16) / 1000)))
                      .Bind(6, static_cast<int64_t>(event.hlc()))
                      .Run());
  // Marks the grouping out of date, so that the next refresh (before a pull, `counts`, `review`)
  // applies the decision although no child changed.
  RETURN_IF_ERROR(MarkIdentityGroupingStale(db_));
  return StoreEventLocked(terminal_id, event, checked, received_at).status();
}

}  // namespace onecard::server
