#include "conflicts.h"

#include <algorithm>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "stored_values.h"

namespace onecard::server {

Result<ConflictsReport> ListConflicts(schema::Database& db, const std::string& area_prefix) {
  if (area_prefix.size() > 6 || !std::all_of(area_prefix.begin(), area_prefix.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 应为至多 6 位数字的行政区划代码前缀：" + area_prefix,
                     "--area must be an area code prefix of at most 6 digits: " + area_prefix));
  }
  // The partial index children_conflicted holds only conflicted children; the area test is on them.
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT child_id, state, coalesce(residence_area, ''), "
                              "coalesce(hukou_area, '') FROM children "
                              "WHERE conflicted = 1 AND (substr(residence_area, 1, ?1) = ?2 OR "
                              "substr(hukou_area, 1, ?1) = ?2) ORDER BY child_id"));
  st.Bind(1, static_cast<int64_t>(area_prefix.size())).Bind(2, area_prefix);
  ConflictsReport report{area_prefix, {}};
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return report;
    ConflictedChild& child = report.children.emplace_back();
    child.child_id = st.ColumnText(0);
    child.residence_area = st.ColumnText(2);
    child.hukou_area = st.ColumnText(3);
    // A state that does not parse is listed as unreadable: the row says it is in conflict, and the
    // rest of the list is still right.
    Result<ChildState> state = StoredChildState(st.ColumnText(1));
    if (!state.ok()) {
      child.unreadable = true;
      continue;
    }
    child.conflicts = state->Conflicts();
    const FieldValue* name = state->Winner("name");
    if (name != nullptr && !name->value.is_null()) child.name = name->value;
  }
}

}  // namespace onecard::server
