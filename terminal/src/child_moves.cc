// IdentityRepository::MoveOf: what a site sees of a child's moves between areas (issue 6: "the
// sending site sees 'moved out, now in X', the receiving site 'moved in from Y'"; PRODUCT.md
// section 5).
//
// Computed from what this terminal holds: the child's record and the other records the server
// grouped with it (identity_persons), each as merged here. As at the server
// (docs/identity-server.md, rule 5), the person's current record is the one changed most recently.
// In this site's scope (the site's area code without trailing "00" pairs):
//   - the current residence is outside and the hukou area or an earlier registration's residence
//     is inside: moved out, now in the current residence;
//   - the current residence is inside: moved in from the residence of the most recent other
//     registration outside the scope, else from the hukou area when it is outside; otherwise no
//     move (a local child).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "onecard/protocol/area_codes.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/identity_repository.h"

namespace onecard::terminal {

using nlohmann::json;

namespace {

std::string Text(const json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<json> IdentityRepository::MoveOf(const std::string& child_id) {
  ASSIGN_OR_RETURN(schema::Statement own,
                   unit_.db().Prepare("SELECT area FROM sites WHERE is_own = 1"));
  ASSIGN_OR_RETURN(bool has_site, own.Step());
  if (!has_site || own.ColumnText(0).empty()) return json(nullptr);
  const std::string scope = AreaScopePrefix(own.ColumnText(0));
  auto inside = [&scope](const std::string& area) {
    return !area.empty() && area.starts_with(scope);
  };

  struct Held {
    Stamp latest;
    json record;
  };
  std::vector<Held> held;  // the person's records held here, most recent first
  ASSIGN_OR_RETURN(std::vector<std::string> others, OtherRecordsOf(child_id));
  others.push_back(child_id);
  ChildrenRepository children(unit_);
  for (const std::string& id : others) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, children.Load(id));
    if (state) held.push_back({state->Latest(), state->Record()});
  }
  if (held.empty()) return json(nullptr);
  std::sort(held.begin(), held.end(),
            [](const Held& a, const Held& b) { return b.latest < a.latest; });

  const std::string residence = Text(held.front().record, "residence_area");
  const std::string hukou = Text(held.front().record, "hukou_area");
  if (!inside(residence)) {
    bool was_here = inside(hukou) || std::any_of(held.begin() + 1, held.end(), [&](const Held& h) {
                      return inside(Text(h.record, "residence_area"));
                    });
    if (was_here && !residence.empty()) return json{{"kind", "moved_out"}, {"area", residence}};
    return json(nullptr);
  }
  for (auto it = held.begin() + 1; it != held.end(); ++it) {
    std::string earlier = Text(it->record, "residence_area");
    if (!earlier.empty() && !inside(earlier)) return json{{"kind", "moved_in"}, {"from", earlier}};
  }
  if (!hukou.empty() && !inside(hukou)) return json{{"kind", "moved_in"}, {"from", hukou}};
  return json(nullptr);
}

}  // namespace onecard::terminal
