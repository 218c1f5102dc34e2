// TerminalStore: applying a pulled page (sync.md, "Pull" and "What a terminal checks of a pull").
// Every item is checked first (pull_checks.h); what passes is applied and what fails is set aside,
// all in one transaction with the new cursor, so one bad record costs that record and never the
// sync.
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/terminal_store.h"
#include "pull_checks.h"

namespace onecard::terminal {

using schema::Statement;
using schema::Transaction;

Result<std::vector<PullSetAside>> TerminalStore::ApplyPage(const wire::PullPage& page) {
  const uint64_t now_ms = HybridClock::PhysicalNowMs(*clock_);
  CheckedPage checked = CheckPullPage(page, now_ms);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(uint64_t last_hlc, MetaNumber("hlc"));
  HybridClock clock(last_hlc);
  RETURN_IF_ERROR(ApplyChildren(checked.children, clock, now_ms));
  RETURN_IF_ERROR(ApplySites(checked.rest));
  RETURN_IF_ERROR(ApplyReferrals(checked.rest, clock, now_ms));
  RETURN_IF_ERROR(ApplyRevocations(checked.rest));
  RETURN_IF_ERROR(ApplyIdentity(checked.rest));
  RETURN_IF_ERROR(KeepSetAside(checked.set_aside));
  RETURN_IF_ERROR(SetMetaValue("hlc", std::to_string(clock.last())));
  RETURN_IF_ERROR(SetMetaValue("pull_cursor", std::to_string(page.next_cursor())));
  RETURN_IF_ERROR(tx.Commit());
  return std::move(checked.set_aside);
}

Status TerminalStore::ApplyChildren(std::vector<ChildState>& children, HybridClock& clock,
                                    uint64_t now_ms) {
  for (ChildState& incoming : children) {
    ASSIGN_OR_RETURN(std::optional<ChildState> local, LoadState(incoming.child_id()));
    ChildState merged = local ? std::move(*local) : ChildState(incoming.child_id());
    merged.Merge(incoming);
    // Checked not to be too far ahead; bounded all the same, so that no path adopts such a stamp.
    clock.ObserveBounded(incoming.Latest().hlc, now_ms);
    RETURN_IF_ERROR(SaveState(merged));
  }
  return Status::Ok();
}

Status TerminalStore::KeepSetAside(const std::vector<PullSetAside>& set_aside) {
  if (set_aside.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Statement keep,
                   db_.Prepare("INSERT INTO pull_set_aside(kind, item_id, change_seq, message, "
                               "set_aside_at) VALUES (?, ?, ?, ?, ?)"));
  const std::string now = UtcNowIso8601(*clock_);
  for (const PullSetAside& item : set_aside) {
    RETURN_IF_ERROR(keep.Reset());
    RETURN_IF_ERROR(keep.Bind(1, item.kind)
                        .Bind(2, item.id)
                        .Bind(3, static_cast<int64_t>(item.change_seq))
                        .Bind(4, item.message)
                        .Bind(5, now)
                        .Run());
    // The audit names the item, not the reason (which may quote a value of the record).
    const bool child = item.kind == "child";
    nlohmann::json detail = {{"kind", item.kind}, {"change_seq", item.change_seq}};
    if (!child) detail["id"] = item.id;
    RETURN_IF_ERROR(
        AppendAudit(db_, *clock_, user_, "sync.item_set_aside", child ? item.id : "", detail));
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
