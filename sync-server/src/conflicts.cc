#include "conflicts.h"

#include <algorithm>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {

using nlohmann::json;

Result<json> ListConflicts(schema::Database& db, const std::string& area_prefix) {
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
  json children = json::array();
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string child_id = st.ColumnText(0);
    // A state that does not parse is listed as unreadable: the row says it is in conflict, and the
    // rest of the list is still right.
    json parsed = json::parse(st.ColumnText(1), nullptr, /*allow_exceptions=*/false);
    Result<ChildState> state = parsed.is_discarded()
                                   ? Result<ChildState>(Status(ErrorCode::kCorruption, "not JSON"))
                                   : ChildState::FromJson(parsed);
    if (!state.ok()) {
      children.push_back({{"child_id", child_id},
                          {"name", json()},
                          {"residence_area", st.ColumnText(2)},
                          {"hukou_area", st.ColumnText(3)},
                          {"unreadable", true},
                          {"conflicts", json::array()}});
      continue;
    }
    json conflicts = json::array();
    for (const FieldConflict& c : state->Conflicts()) conflicts.push_back(c.ToJson());
    const FieldValue* name = state->Winner("name");
    children.push_back({{"child_id", child_id},
                        {"name", name != nullptr ? name->value : json()},
                        {"residence_area", st.ColumnText(2)},
                        {"hukou_area", st.ColumnText(3)},
                        {"conflicts", std::move(conflicts)}});
  }
  return json{{"area", area_prefix}, {"children", std::move(children)}};
}

}  // namespace onecard::server
