#include "onecard/terminal/identity_repository.h"

#include <algorithm>

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/outbox.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

json SummaryJson(const wire::IdentityRecordSummary& s) {
  return {{"child_id", s.child_id()},
          {"name", s.name()},
          {"sex", s.sex()},
          {"birth_date", s.birth_date()},
          {"hukou_area", s.hukou_area()},
          {"residence_area", s.residence_area()}};
}

}  // namespace

Status IdentityRepository::ApplyPulled(const wire::PullPage& page) {
  // The items passed CheckPulledIdentityPair and CheckPulledPerson (pull_checks.h).
  for (const wire::IdentityReviewItem& item : page.identity_review()) {
    if (item.removed()) {
      ASSIGN_OR_RETURN(Statement del,
                       unit_.db().Prepare("DELETE FROM identity_review WHERE a = ? AND b = ?"));
      RETURN_IF_ERROR(del.Bind(1, item.a()).Bind(2, item.b()).Run());
      continue;
    }
    ASSIGN_OR_RETURN(
        Statement put,
        unit_.db().Prepare("INSERT INTO identity_review(a, b, score, reasons, record_a, "
                           "record_b) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(a, b) DO UPDATE "
                           "SET score = excluded.score, reasons = excluded.reasons, "
                           "record_a = excluded.record_a, record_b = excluded.record_b"));
    RETURN_IF_ERROR(put.Bind(1, item.a())
                        .Bind(2, item.b())
                        .Bind(3, std::to_string(item.score()))
                        .Bind(4, static_cast<int64_t>(item.reasons()))
                        .Bind(5, SummaryJson(item.record_a()).dump())
                        .Bind(6, SummaryJson(item.record_b()).dump())
                        .Run());
  }
  for (const wire::PersonGroup& person : page.persons()) {
    if (person.members().empty()) {
      ASSIGN_OR_RETURN(Statement del,
                       unit_.db().Prepare("DELETE FROM identity_persons WHERE person_id = ?"));
      RETURN_IF_ERROR(del.Bind(1, person.person_id()).Run());
      continue;
    }
    json members = json::array();
    for (const std::string& m : person.members()) {
      members.push_back(m);
    }
    ASSIGN_OR_RETURN(
        Statement put,
        unit_.db().Prepare("INSERT INTO identity_persons(person_id, members) VALUES (?, ?) "
                           "ON CONFLICT(person_id) DO UPDATE SET members = excluded.members"));
    RETURN_IF_ERROR(put.Bind(1, person.person_id()).Bind(2, members.dump()).Run());
  }
  return Status::Ok();
}

Result<std::vector<IdentityReviewPair>> IdentityRepository::ListReview() {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("SELECT a, b, score, reasons, record_a, record_b FROM "
                                      "identity_review ORDER BY score DESC, a, b"));
  std::vector<IdentityReviewPair> out;
  json pairs = json::array();
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    IdentityReviewPair p;
    p.a = row.ColumnText(0);
    p.b = row.ColumnText(1);
    p.score =
        ParseDouble(row.ColumnText(2)).value_or(0.0);  // a stored score that is not a number: 0
    p.reasons = static_cast<uint32_t>(row.ColumnInt(3));
    p.record_a = json::parse(row.ColumnText(4), nullptr, false);
    p.record_b = json::parse(row.ColumnText(5), nullptr, false);
    pairs.push_back(json::array({p.a, p.b}));
    out.push_back(std::move(p));
  }));
  // The queue shows names of children that may belong to other sites: the read is audited.
  RETURN_IF_ERROR(unit_.Audit("identity.review.list", "", {{"pairs", pairs}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<std::string>> IdentityRepository::OtherRecordsOf(const std::string& child_id) {
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare("SELECT p.members FROM identity_persons AS p, json_each(p.members) "
                         "AS m WHERE m.value = ? ORDER BY p.person_id"));
  st.Bind(1, child_id);
  std::vector<std::string> out;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    json members = json::parse(row.ColumnText(0), nullptr, false);
    if (!members.is_array()) return;
    for (const json& m : members) {
      if (m.is_string() && m.get<std::string>() != child_id) out.push_back(m.get<std::string>());
    }
  }));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status IdentityRepository::Decide(const std::string& decision, const std::string& a,
                                  const std::string& b) {
  if (decision != "merge" && decision != "separate" && decision != "unmerge") {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("无效的审核决定：" + decision + "（应为 merge、separate 或 unmerge）",
                     "invalid review decision: " + decision + " (use merge, separate or unmerge)"));
  }
  if (a.empty() || b.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请给出两个儿童编号", "give two child ids"));
  }
  if (a == b) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("两个儿童编号相同：" + a, "the two child ids are the same: " + a));
  }
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  RETURN_IF_ERROR(CheckDecision(decision, a, b));
  RETURN_IF_ERROR(Outbox(unit_)
                      .Append(event_type::kIdentityDecision, a,
                              {{"a", a}, {"b", b}, {"decision", decision}, {"by", unit_.user()}})
                      .status());
  RETURN_IF_ERROR(unit_.Audit("identity." + decision, a, {{"other", b}}));
  return tx.Commit();
}

Status IdentityRepository::CheckDecision(const std::string& decision, const std::string& a,
                                         const std::string& b) {
  ASSIGN_OR_RETURN(std::vector<std::string> others, OtherRecordsOf(a));
  const bool one_child = std::find(others.begin(), others.end(), b) != others.end();
  if (decision == "unmerge") {
    if (one_child) return Status::Ok();
    return Status(ErrorCode::kFailedPrecondition,
                  Tr(a + " 与 " + b + " 未合并，无需拆分",
                     a + " and " + b + " are not merged: nothing to unmerge"));
  }
  if (decision == "merge" && one_child) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr(a + " 与 " + b + " 已是同一儿童", a + " and " + b + " are already one child"));
  }
  // The pair is in the queue, or both records are held here (a supervisor may also decide on a
  // pair the resolver did not find doubtful).
  ASSIGN_OR_RETURN(Statement queued,
                   unit_.db().Prepare("SELECT 1 FROM identity_review WHERE a = ? AND b = ?"));
  queued.Bind(1, std::min(a, b)).Bind(2, std::max(a, b));
  ASSIGN_OR_RETURN(bool in_queue, queued.Step());
  if (in_queue) return Status::Ok();
  ChildrenRepository children(unit_);
  for (const std::string& id : {a, b}) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, children.Load(id));
    if (!state) {
      return Status(ErrorCode::kNotFound,
                    Tr("本终端没有儿童 " + id + "，且 " + a + " 与 " + b + " 不在审核队列中",
                       "no child " + id + " at this terminal, and " + a + " and " + b +
                           " are not in the review queue"));
    }
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
