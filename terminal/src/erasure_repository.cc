#include "onecard/terminal/erasure_repository.h"

#include <nlohmann/json.hpp>

#include "child_projection.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/outbox.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

// Who erased, for an erasure learnt from the server.
constexpr char kByServer[] = "server";

Status RunWithChild(schema::Database& db, std::string_view sql, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  return st.Bind(1, child_id).Run();
}

}  // namespace

std::string ErasureText(const ErasureRecord& e) {
  const std::string at = UtcIso8601(e.erased_at_ms / 1000);
  const std::string why = ErasureReasonText(e.reason);
  return Tr("儿童 " + e.child_id + " 的个人数据已于 " + at + " 删除（" + why + "）",
            "child " + e.child_id + " was erased at " + at + " (" + why + ")");
}

Result<std::optional<ErasureRecord>> ErasureRepository::Find(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare("SELECT reason, erased_at_ms, erased_by FROM "
                                                    "erasures WHERE child_id = ?"));
  ASSIGN_OR_RETURN(bool row, st.Bind(1, child_id).Step());
  if (!row) return std::optional<ErasureRecord>();
  return std::optional<ErasureRecord>(
      ErasureRecord{child_id, st.ColumnText(0), st.ColumnInt(1), st.ColumnText(2)});
}

Status ErasureRepository::CheckNotErased(const std::string& child_id) {
  ASSIGN_OR_RETURN(std::optional<ErasureRecord> erased, Find(child_id));
  if (!erased) return Status::Ok();
  return Status(ErrorCode::kPermissionDenied,
                ErasureText(*erased) +
                    Tr("，不再接受有关该儿童的操作", "; nothing about the child is accepted"));
}

Status ErasureRepository::CheckHeldInScope(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement held, unit_.db().Prepare("SELECT residence_area, hukou_area FROM "
                                                      "children WHERE child_id = ?"));
  ASSIGN_OR_RETURN(bool exists, held.Bind(1, child_id).Step());
  if (!exists) {
    return Status(ErrorCode::kNotFound,
                  Tr("本终端没有儿童 " + child_id, "no child " + child_id + " at this terminal"));
  }
  ASSIGN_OR_RETURN(Statement own, unit_.db().Prepare("SELECT area FROM sites WHERE is_own = 1"));
  ASSIGN_OR_RETURN(bool has_site, own.Step());
  const std::string scope = has_site ? AreaScopePrefix(own.ColumnText(0)) : "";
  for (int column : {0, 1}) {
    const std::string area = held.ColumnText(column);
    if (!scope.empty() && !area.empty() && area.starts_with(scope)) return Status::Ok();
  }
  return Status(ErrorCode::kPermissionDenied,
                Tr("儿童 " + child_id + " 的户籍地和居住地都不在本站点辖区，请由其所在站点删除",
                   "child " + child_id +
                       " neither lives nor has the hukou in this site's area; "
                       "its own site erases it"));
}

Status ErasureRepository::Erase(const std::string& child_id, const std::string& reason) {
  RETURN_IF_ERROR(CheckGivenErasureReason(reason));
  ASSIGN_OR_RETURN(std::optional<ErasureRecord> before, Find(child_id));
  if (before) return Status(ErrorCode::kAlreadyExists, ErasureText(*before));
  RETURN_IF_ERROR(CheckHeldInScope(child_id));
  const ErasureRecord erasure{child_id, reason, unit_.clock().WallMs(), unit_.user()};
  {
    ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
    RETURN_IF_ERROR(EmptyPendingEvents(child_id));
    RETURN_IF_ERROR(
        Outbox(unit_)
            .Append(event_type::kChildErase, child_id, {{"by", unit_.user()}, {"reason", reason}})
            .status());
    RETURN_IF_ERROR(EraseHeld(erasure));
    RETURN_IF_ERROR(unit_.Audit("child.erase", child_id, {{"reason", reason}}));
    RETURN_IF_ERROR(tx.Commit());
  }
  TruncateWal();
  return Status::Ok();
}

Status ErasureRepository::ApplyPulled(const wire::PullPage& page) {
  for (const wire::ChildErasure& e : page.erasures()) {  // passed CheckPulledErasure
    ASSIGN_OR_RETURN(std::optional<ErasureRecord> before, Find(e.child_id()));
    if (before) continue;
    RETURN_IF_ERROR(EmptyPendingEvents(e.child_id()));
    RETURN_IF_ERROR(
        EraseHeld({e.child_id(), e.reason(), static_cast<int64_t>(e.erased_at_ms()), kByServer}));
    RETURN_IF_ERROR(unit_.Audit("sync.child_erased", e.child_id(), {{"reason", e.reason()}}));
  }
  return Status::Ok();
}

Status ErasureRepository::EraseHeld(const ErasureRecord& erasure) {
  schema::Database& db = unit_.db();
  const std::string& child_id = erasure.child_id;
  // The card the child holds here is refused from now on (the server revokes it for everyone).
  ASSIGN_OR_RETURN(Statement card, db.Prepare("INSERT OR IGNORE INTO revoked_cards(serial, "
                                              "child_id, reason, revoked_at_ms, revoked_by) "
                                              "SELECT card_serial, child_id, 'erased', ?, ? FROM "
                                              "children WHERE child_id = ? AND card_serial IS NOT "
                                              "NULL AND card_serial != ''"));
  RETURN_IF_ERROR(
      card.Bind(1, erasure.erased_at_ms).Bind(2, unit_.terminal_id()).Bind(3, child_id).Run());
  RETURN_IF_ERROR(DeleteChildProjection(db, child_id));
  for (std::string_view sql : {
           "DELETE FROM children WHERE child_id = ?1",
           "DELETE FROM referrals WHERE child_id = ?1",
           "DELETE FROM identity_review WHERE a = ?1 OR b = ?1",
           "DELETE FROM card_proofs WHERE child_id = ?1",
           "DELETE FROM refused_events WHERE child_id = ?1",
           "DELETE FROM pull_set_aside WHERE kind = 'child' AND item_id = ?1",
       }) {
    RETURN_IF_ERROR(RunWithChild(db, sql, child_id));
  }
  ASSIGN_OR_RETURN(Statement keep, db.Prepare("INSERT INTO erasures(child_id, reason, "
                                              "erased_at_ms, erased_by) VALUES (?, ?, ?, ?)"));
  return keep.Bind(1, child_id)
      .Bind(2, erasure.reason)
      .Bind(3, erasure.erased_at_ms)
      .Bind(4, erasure.erased_by)
      .Run();
}

Status ErasureRepository::EmptyPendingEvents(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement pending, unit_.db().Prepare("SELECT seq, type, payload FROM outbox "
                                                         "WHERE child_id = ?"));
  std::vector<std::pair<int64_t, std::string>> emptied;
  RETURN_IF_ERROR(pending.Bind(1, child_id).ForEachRow([&](const Statement& row) {
    const std::string type = row.ColumnText(1);
    json payload = json::parse(row.ColumnText(2), nullptr, false);
    if (!payload.is_object()) payload = json::object();
    if (type == event_type::kChildUpsert) {
      payload = {{"child_id", child_id}, {"fields", json::object()}};
    } else if (type == event_type::kReferralCreate) {
      payload["reason"] = "";
    } else if (type == event_type::kReferralStatus) {
      payload["outcome"] = "";
    } else {
      return;  // revocations, decisions, erasures: ids and codes only
    }
    emptied.emplace_back(row.ColumnInt(0), payload.dump());
  }));
  ASSIGN_OR_RETURN(Statement write,
                   unit_.db().Prepare("UPDATE outbox SET payload = ? WHERE seq = ?"));
  for (const auto& [seq, payload] : emptied) {
    RETURN_IF_ERROR(write.Reset());
    RETURN_IF_ERROR(write.Bind(1, payload).Bind(2, seq).Run());
  }
  return Status::Ok();
}

void ErasureRepository::TruncateWal() { (void)unit_.db().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace onecard::terminal
