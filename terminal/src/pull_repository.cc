#include "onecard/terminal/pull_repository.h"

#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/card_repository.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/erasure_repository.h"
#include "onecard/terminal/identity_repository.h"
#include "onecard/terminal/referral_repository.h"
#include "pull_checks.h"

namespace onecard::terminal {

using schema::Statement;
using schema::Transaction;

Result<uint64_t> PullRepository::Cursor() { return unit_.MetaNumber("pull_cursor"); }

Result<std::vector<PullSetAside>> PullRepository::ApplyPage(const wire::PullPage& page) {
  const uint64_t now_ms = HybridClock::PhysicalNowMs(unit_.clock());
  CheckedPage checked = CheckPullPage(page, now_ms);
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(uint64_t last_hlc, unit_.MetaNumber("hlc"));
  HybridClock clock(last_hlc);
  RETURN_IF_ERROR(ApplyChildren(checked.children, clock, now_ms));
  RETURN_IF_ERROR(ApplySites(checked.rest));
  RETURN_IF_ERROR(ReferralRepository(unit_).ApplyPulled(checked.rest, clock, now_ms));
  RETURN_IF_ERROR(CardRepository(unit_).ApplyPulled(checked.rest));
  RETURN_IF_ERROR(IdentityRepository(unit_).ApplyPulled(checked.rest));
  // Last: an erasure is numbered after everything of its child, in this page or before.
  ErasureRepository erasures(unit_);
  RETURN_IF_ERROR(erasures.ApplyPulled(checked.rest));
  RETURN_IF_ERROR(KeepSetAside(checked.set_aside));
  RETURN_IF_ERROR(unit_.SetMeta("hlc", std::to_string(clock.last())));
  RETURN_IF_ERROR(unit_.SetMeta("pull_cursor", std::to_string(page.next_cursor())));
  RETURN_IF_ERROR(tx.Commit());
  if (checked.rest.erasures_size() > 0) erasures.TruncateWal();
  return std::move(checked.set_aside);
}

Status PullRepository::ApplyChildren(std::vector<ChildState>& children, HybridClock& clock,
                                     uint64_t now_ms) {
  ChildrenRepository held(unit_);
  ErasureRepository erasures(unit_);
  for (ChildState& incoming : children) {
    // An erased child is never held again (a snapshot the server sent before it learnt).
    ASSIGN_OR_RETURN(std::optional<ErasureRecord> erased, erasures.Find(incoming.child_id()));
    if (erased) continue;
    ASSIGN_OR_RETURN(std::optional<ChildState> local, held.Load(incoming.child_id()));
    ChildState merged = local ? std::move(*local) : ChildState(incoming.child_id());
    merged.Merge(incoming);
    // Checked not to be too far ahead; bounded all the same, so that no path adopts such a stamp.
    clock.ObserveBounded(incoming.Latest().hlc, now_ms);
    RETURN_IF_ERROR(held.Save(merged));
  }
  return Status::Ok();
}

Status PullRepository::ApplySites(const wire::PullPage& page) {
  if (page.sites_size() == 0) return Status::Ok();
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare("INSERT INTO sites(site_id, name, area, role, is_own, updated_at) "
                         "VALUES (?, ?, ?, ?, 0, ?) "
                         "ON CONFLICT(site_id) DO UPDATE SET name = excluded.name, area = "
                         "excluded.area, role = excluded.role, "
                         "updated_at = excluded.updated_at"));
  for (const wire::SiteInfo& site : page.sites()) {  // passed CheckPulledSite
    RETURN_IF_ERROR(st.Reset());
    RETURN_IF_ERROR(st.Bind(1, site.site_id())
                        .Bind(2, site.name())
                        .Bind(3, site.area())
                        .Bind(4, site.role())
                        .Bind(5, UtcNowIso8601(unit_.clock()))
                        .Run());
  }
  return Status::Ok();
}

Status PullRepository::KeepSetAside(const std::vector<PullSetAside>& set_aside) {
  if (set_aside.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(
      Statement keep,
      unit_.db().Prepare("INSERT INTO pull_set_aside(kind, item_id, change_seq, message, "
                         "set_aside_at) VALUES (?, ?, ?, ?, ?)"));
  const std::string now = UtcNowIso8601(unit_.clock());
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
    RETURN_IF_ERROR(unit_.Audit("sync.item_set_aside", child ? item.id : "", detail));
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
