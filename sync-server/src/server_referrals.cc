// ServerStore: ingest of referral events ("referral.create", "referral.status"; sync.md,
// "Referral events"). The referrals table holds each referral's merged state: the status change
// of greatest (rank, stamp) wins (protocol referral.h), so the server ends the same whatever order
// the terminals' events arrive in. The status machine itself is checked at the terminals; the
// server checks the payload and that the pushing terminal's site may make the change.
#include <nlohmann/json.hpp>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/referral.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Statement;

Status BadReferralEvent(const wire::Event& event, const std::string& zh, const std::string& en) {
  std::string seq = std::to_string(event.seq());
  return Status(ErrorCode::kInvalidArgument, Tr("事件 " + seq + "（" + event.type() + "）" + zh,
                                                "event " + seq + " (" + event.type() + ") " + en));
}

}  // namespace

Status ServerStore::IngestReferralLocked(const std::string& terminal_id, const wire::Event& event,
                                         const std::string& received_at) {
  if (event.seq() == 0) return BadReferralEvent(event, "没有序号", "has no sequence number");
  // A replay changes nothing (and is not checked again: the referral may have moved on since).
  ASSIGN_OR_RETURN(bool replay, EventSettledLocked(terminal_id, event.seq()));
  if (replay) return Status::Ok();

  ASSIGN_OR_RETURN(Statement * site_of,
                   CachedLocked("SELECT site_id FROM terminals WHERE terminal_id = ?"));
  site_of->Bind(1, terminal_id);
  ASSIGN_OR_RETURN(bool known, site_of->Step());
  std::string site_id = known ? site_of->ColumnText(0) : "";
  RETURN_IF_ERROR(site_of->Reset());

  json payload = json::parse(event.payload(), nullptr, /*allow_exceptions=*/false);
  const Stamp stamp{event.hlc(), terminal_id, event.seq()};
  ASSIGN_OR_RETURN(Statement * find,
                   CachedLocked("SELECT child_id, from_site, to_site, status, status_hlc, "
                                "status_terminal, status_seq FROM referrals "
                                "WHERE referral_id = ?"));

  if (event.type() == "referral.create") {
    Result<Referral> r = ReferralFromCreatePayload(payload, stamp);
    if (!r.ok())
      return BadReferralEvent(event, "：" + r.status().message(), ": " + r.status().message());
    if (r->child_id != event.child_id())
      return BadReferralEvent(event, "的儿童编号不一致", "names two different children");
    if (!r->referral_id.starts_with(terminal_id + "-R")) {
      return BadReferralEvent(event, "的转介编号不属于本终端",
                              "has a referral id not minted by this terminal");
    }
    if (r->from_site != site_id) {
      return BadReferralEvent(event, "的 from_site 不是本终端的站点",
                              "has a from_site other than the terminal's site");
    }
    ASSIGN_OR_RETURN(Statement * site, CachedLocked("SELECT 1 FROM sites WHERE site_id = ?"));
    site->Bind(1, r->to_site);
    ASSIGN_OR_RETURN(bool to_known, site->Step());
    RETURN_IF_ERROR(site->Reset());
    if (!to_known)
      return BadReferralEvent(event, "转给未知站点 " + r->to_site,
                              "names an unknown site " + r->to_site);
    find->Bind(1, r->referral_id);
    ASSIGN_OR_RETURN(bool exists, find->Step());
    RETURN_IF_ERROR(find->Reset());
    if (exists)
      return BadReferralEvent(event, "的转介编号已存在", "reuses an existing referral id");

    ASSIGN_OR_RETURN(Statement * ins,
                     CachedLocked("INSERT INTO referrals(referral_id, child_id, service, "
                                  "from_site, to_site, reason, created_hlc, status, outcome, "
                                  "status_hlc, status_terminal, status_seq, change_seq) VALUES (?, "
                                  "?, ?, ?, ?, ?, ?, 'open', '', ?, ?, ?, ?)"));
    RETURN_IF_ERROR(ins->Bind(1, r->referral_id)
                        .Bind(2, r->child_id)
                        .Bind(3, r->service)
                        .Bind(4, r->from_site)
                        .Bind(5, r->to_site)
                        .Bind(6, r->reason)
                        .Bind(7, static_cast<int64_t>(stamp.hlc))
                        .Bind(8, static_cast<int64_t>(stamp.hlc))
                        .Bind(9, stamp.terminal_id)
                        .Bind(10, static_cast<int64_t>(stamp.seq))
                        .Bind(11, next_change_seq_++)
                        .Run());
  } else {
    Result<ReferralStatusChange> change = ReferralStatusFromPayload(payload);
    if (!change.ok())
      return BadReferralEvent(event, "：" + change.status().message(),
                              ": " + change.status().message());
    find->Bind(1, change->referral_id);
    ASSIGN_OR_RETURN(bool exists, find->Step());
    if (!exists) {
      RETURN_IF_ERROR(find->Reset());
      return BadReferralEvent(event, "的转介 " + change->referral_id + " 在服务器上不存在",
                              "names referral " + change->referral_id + ", unknown at the server");
    }
    Referral current;
    current.referral_id = change->referral_id;
    current.child_id = find->ColumnText(0);
    current.from_site = find->ColumnText(1);
    current.to_site = find->ColumnText(2);
    std::optional<ReferralStatus> status = ParseReferralStatus(find->ColumnText(3));
    ONECARD_CHECK(status.has_value());  // the table's CHECK constraint
    current.status = *status;
    current.status_stamp = Stamp{static_cast<uint64_t>(find->ColumnInt(4)), find->ColumnText(5),
                                 static_cast<uint64_t>(find->ColumnInt(6))};
    RETURN_IF_ERROR(find->Reset());
    if (current.child_id != event.child_id()) {
      return BadReferralEvent(event, "的儿童编号与转介不一致",
                              "names another child than the referral's");
    }
    Status actor = CheckReferralActor(current, site_id, change->status);
    if (!actor.ok()) return BadReferralEvent(event, "：" + actor.message(), ": " + actor.message());
    if (ReferralVersionWins(change->status, stamp, current.status, current.status_stamp)) {
      ASSIGN_OR_RETURN(Statement * up,
                       CachedLocked("UPDATE referrals SET status = ?, outcome = ?, status_hlc = ?, "
                                    "status_terminal = ?, status_seq = ?, "
                                    "change_seq = ? WHERE referral_id = ?"));
      RETURN_IF_ERROR(up->Bind(1, std::string(ReferralStatusName(change->status)))
                          .Bind(2, change->outcome)
                          .Bind(3, static_cast<int64_t>(stamp.hlc))
                          .Bind(4, stamp.terminal_id)
                          .Bind(5, static_cast<int64_t>(stamp.seq))
                          .Bind(6, next_change_seq_++)
                          .Bind(7, change->referral_id)
                          .Run());
    }
  }
  return StoreEventLocked(terminal_id, event, received_at).status();
}

}  // namespace onecard::server
