#include "onecard/terminal/child_page.h"

namespace onecard::terminal {

using nlohmann::json;

json PublicRecord(json record) {
  record.erase(kCardStampField);
  return record;
}

json ChildPage::ToJson() const {
  json out = PublicRecord(record);
  if (!conflicts.empty()) out["conflicts"] = conflicts;
  if (!same_child_as.empty()) out["same_child_as"] = same_child_as;
  if (!move.is_null()) out["move"] = move;
  if (!referrals.empty()) {
    out["referrals"] = json::array();
    for (const Referral& r : referrals) out["referrals"].push_back(r.ToJson());
  }
  return out;
}

Result<ChildPage> LoadChildPage(TerminalStore& store, const std::string& child_id) {
  ChildPage page;
  ASSIGN_OR_RETURN(page.record, store.children().Show(child_id));
  if (page.closed()) return page;
  ASSIGN_OR_RETURN(std::vector<FieldConflict> conflicts, store.conflicts().Of(child_id));
  for (const FieldConflict& c : conflicts) page.conflicts.push_back(c.ToJson());
  ASSIGN_OR_RETURN(page.referrals, store.referrals().List(child_id));
  ASSIGN_OR_RETURN(page.same_child_as, store.identity().OtherRecordsOf(child_id));
  ASSIGN_OR_RETURN(page.move, store.identity().MoveOf(child_id));
  return page;
}

}  // namespace onecard::terminal
