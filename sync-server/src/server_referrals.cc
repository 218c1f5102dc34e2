// ServerStore: ingest of referral events ("referral.create", "referral.status"; sync.md,
// "Referral events"). The referrals table holds each referral's merged state: the status change
// of greatest (rank, stamp) wins (protocol referral.h), so the server ends the same whatever order
// the terminals' events arrive in. The status machine itself is checked at the terminals; the
// server checks the payload and that the pushing terminal's site may make the change.
#include <functional>
#include <string_view>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/referral.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using schema::Statement;

Status BadReferralEvent(const wire::Event& event, const std::string& zh, const std::string& en) {
  std::string seq = std::to_string(event.seq());
  const std::string type(EventTypeOf(event));
  return Status(ErrorCode::kInvalidArgument, Tr("事件 " + seq + "（" + type + "）" + zh,
                                                "event " + seq + " (" + type + ") " + en));
}

// ServerStore::CachedLocked, for the steps below (file-local: they cannot call it themselves).
using CachedStatements = std::function<Result<Statement*>(std::string_view sql)>;

// The checks and the write of one referral event that is not a replay, under the store's lock
// (the steps of ServerStore::IngestReferralLocked). `find` selects a referral's row by its
// referral_id (child_id, from_site, to_site, status, status_hlc, status_terminal, status_seq);
// `next_change_seq` is the store's next_change_seq_, taken by the write.
class ReferralIngest {
 public:
  ReferralIngest(const wire::Event& event, const Stamp& stamp, const std::string& site_id,
                 const std::string& received_at, Statement& find, const CachedStatements& cached,
                 int64_t& next_change_seq)
      : event_(event),
        stamp_(stamp),
        site_id_(site_id),
        received_at_(received_at),
        find_(find),
        cached_(cached),
        next_change_seq_(next_change_seq) {}

  // "referral.create": checks the new referral (its fields were checked when the event was read,
  // sync_event.h), then inserts it, open.
  Status Create(const Referral& r) {
    RETURN_IF_ERROR(CheckCreator(r));
    RETURN_IF_ERROR(CheckNewReferral(r));
    return Insert(r);
  }

  // "referral.status": checks the status change against the stored referral, then stores it when
  // it wins over the referral's status (ReferralVersionWins).
  Status ChangeStatus(const ReferralStatusChange& change) {
    ASSIGN_OR_RETURN(Referral current, Stored(change.referral_id));
    if (current.child_id != event_.child_id()) {
      return BadReferralEvent(event_, "的儿童编号与转介不一致",
                              "names another child than the referral's");
    }
    Status actor = CheckReferralActor(current, site_id_, change.status);
    if (!actor.ok())
      return BadReferralEvent(event_, "：" + actor.message(), ": " + actor.message());
    if (!ReferralVersionWins(change.status, stamp_, current.status, current.status_stamp))
      return Status::Ok();
    return Update(change);
  }

 private:
  // Ok when the pushing terminal may create `r`: of the event's child, with a referral id the
  // terminal minted, from the terminal's site.
  Status CheckCreator(const Referral& r) const {
    if (r.child_id != event_.child_id())
      return BadReferralEvent(event_, "的儿童编号不一致", "names two different children");
    if (!r.referral_id.starts_with(stamp_.terminal_id + "-R")) {
      return BadReferralEvent(event_, "的转介编号不属于本终端",
                              "has a referral id not minted by this terminal");
    }
    if (r.from_site != site_id_) {
      return BadReferralEvent(event_, "的 from_site 不是本终端的站点",
                              "has a from_site other than the terminal's site");
    }
    return Status::Ok();
  }

  // Ok when `r` goes to a known site and its referral id is not in use yet.
  Status CheckNewReferral(const Referral& r) {
    ASSIGN_OR_RETURN(Statement * site, cached_("SELECT 1 FROM sites WHERE site_id = ?"));
    site->Bind(1, r.to_site);
    ASSIGN_OR_RETURN(bool to_known, site->Step());
    RETURN_IF_ERROR(site->Reset());
    if (!to_known)
      return BadReferralEvent(event_, "转给未知站点 " + r.to_site,
                              "names an unknown site " + r.to_site);
    find_.Bind(1, r.referral_id);
    ASSIGN_OR_RETURN(bool exists, find_.Step());
    RETURN_IF_ERROR(find_.Reset());
    if (exists)
      return BadReferralEvent(event_, "的转介编号已存在", "reuses an existing referral id");
    return Status::Ok();
  }

  // Inserts `r`, open, its status stamped by this event.
  Status Insert(const Referral& r) {
    ASSIGN_OR_RETURN(Statement * ins,
                     cached_("INSERT INTO referrals(referral_id, child_id, service, "
                             "from_site, to_site, reason, created_hlc, status, outcome, "
                             "status_hlc, status_terminal, status_seq, change_seq, changed_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', '', ?, ?, ?, ?, ?)"));
    return ins->Bind(1, r.referral_id)
        .Bind(2, r.child_id)
        .Bind(3, r.service)
        .Bind(4, r.from_site)
        .Bind(5, r.to_site)
        .Bind(6, r.reason)
        .Bind(7, static_cast<int64_t>(stamp_.hlc))
        .Bind(8, static_cast<int64_t>(stamp_.hlc))
        .Bind(9, stamp_.terminal_id)
        .Bind(10, static_cast<int64_t>(stamp_.seq))
        .Bind(11, next_change_seq_++)
        .Bind(12, received_at_)
        .Run();
  }

  // The referral `referral_id` as stored: its id, child, sites and winning status (the fields a
  // status change is checked against); an error when the server does not know it.
  Result<Referral> Stored(const std::string& referral_id) {
    find_.Bind(1, referral_id);
    ASSIGN_OR_RETURN(bool exists, find_.Step());
    if (!exists) {
      RETURN_IF_ERROR(find_.Reset());
      return BadReferralEvent(event_, "的转介 " + referral_id + " 在服务器上不存在",
                              "names referral " + referral_id + ", unknown at the server");
    }
    Referral current;
    current.referral_id = referral_id;
    current.child_id = find_.ColumnText(0);
    current.from_site = find_.ColumnText(1);
    current.to_site = find_.ColumnText(2);
    std::optional<ReferralStatus> status = ParseReferralStatus(find_.ColumnText(3));
    ONECARD_CHECK(status.has_value());  // the table's CHECK constraint
    current.status = *status;
    current.status_stamp = Stamp{static_cast<uint64_t>(find_.ColumnInt(4)), find_.ColumnText(5),
                                 static_cast<uint64_t>(find_.ColumnInt(6))};
    RETURN_IF_ERROR(find_.Reset());
    return current;
  }

  // Stores `change` as the referral's status (with its decline reason), stamped by this event.
  Status Update(const ReferralStatusChange& change) {
    ASSIGN_OR_RETURN(Statement * up,
                     cached_("UPDATE referrals SET status = ?, outcome = ?, status_hlc = ?, "
                             "status_terminal = ?, status_seq = ?, change_seq = ?, "
                             "decline_reason = ?, changed_at = ? WHERE referral_id = ?"));
    return up->Bind(1, std::string(ReferralStatusName(change.status)))
        .Bind(2, change.outcome)
        .Bind(3, static_cast<int64_t>(stamp_.hlc))
        .Bind(4, stamp_.terminal_id)
        .Bind(5, static_cast<int64_t>(stamp_.seq))
        .Bind(6, next_change_seq_++)
        .Bind(7, change.decline_reason)
        .Bind(8, received_at_)
        .Bind(9, change.referral_id)
        .Run();
  }

  const wire::Event& event_;
  const Stamp& stamp_;
  const std::string& site_id_;      // the pushing terminal's site, "" when unknown
  const std::string& received_at_;  // when the server received the event (referrals.changed_at)
  Statement& find_;
  const CachedStatements& cached_;
  int64_t& next_change_seq_;
};

}  // namespace

Status ServerStore::IngestReferralLocked(const std::string& terminal_id, const wire::Event& event,
                                         const CheckedEvent& checked,
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

  const Stamp stamp{event.hlc(), terminal_id, event.seq()};
  ASSIGN_OR_RETURN(Statement * find,
                   CachedLocked("SELECT child_id, from_site, to_site, status, status_hlc, "
                                "status_terminal, status_seq FROM referrals "
                                "WHERE referral_id = ?"));
  const CachedStatements cached = [this](std::string_view sql) { return CachedLocked(sql); };
  ReferralIngest ingest(event, stamp, site_id, received_at, *find, cached, next_change_seq_);
  const EventBody& body = *checked.body;
  if (const Referral* created = std::get_if<Referral>(&body)) {
    RETURN_IF_ERROR(ingest.Create(*created));
  } else {
    RETURN_IF_ERROR(ingest.ChangeStatus(std::get<ReferralStatusChange>(body)));
  }
  return StoreEventLocked(terminal_id, event, checked, received_at).status();
}

}  // namespace onecard::server
