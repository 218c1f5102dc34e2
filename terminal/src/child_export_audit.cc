// Who read or changed the child when, for the guardian's copy: the audit log's entries about the
// child (audit_log.h). Only time, actor and action leave the log (and the names of the fields a
// registration or change set, and the serial of a card operation): the detail of a search or a
// list names other children, and that is theirs, not this guardian's.
#include <nlohmann/json.hpp>

#include "child_export_parts.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;

// True when some string anywhere in `j` is `child_id` or one of `referral_ids`.
bool NamesChild(const json& j, const std::string& child_id,
                const std::set<std::string>& referral_ids) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    return s == child_id || referral_ids.contains(s);
  }
  if (j.is_structured()) {
    for (const json& item : j) {
      if (NamesChild(item, child_id, referral_ids)) return true;
    }
  }
  return false;
}

std::vector<std::string> FieldNames(const json& detail) {
  std::vector<std::string> out;
  auto it = detail.find("fields");
  if (it == detail.end() || !it->is_array()) return out;
  for (const json& name : *it) {
    if (name.is_string()) out.push_back(name.get<std::string>());
  }
  return out;
}

// The card serials an entry of a card operation names (card_repository.cc, card_revocations.cc).
void AddCardEvents(const ChildAccess& entry, const json& detail, ChildCards& cards) {
  if (!entry.action.starts_with("card.")) return;
  for (const char* key : {"old_serial", "serial"}) {
    auto it = detail.find(key);
    if (it != detail.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
      cards.events.push_back(CardEvent{entry.at, entry.action, it->get<std::string>()});
  }
}

}  // namespace

Result<std::vector<ChildAccess>> AccessesOf(schema::Database& db, const std::string& child_id,
                                            const std::set<std::string>& referral_ids,
                                            ChildCards& cards) {
  // instr() only narrows the rows to parse: a detail naming the child holds its id as text (a
  // longer id holding it is told apart below). A list of every referral names referral ids only.
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT id, at, actor, action, coalesce(child_id, ''), "
                                            "detail FROM audit WHERE child_id = ?1 OR "
                                            "instr(detail, ?1) > 0 OR action = 'referral.list' "
                                            "ORDER BY id"));
  st.Bind(1, child_id);
  std::vector<ChildAccess> out;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    json detail = json::parse(row.ColumnText(5), nullptr, false);
    if (!detail.is_object()) detail = json::object();
    ChildAccess entry{row.ColumnInt(0),
                      row.ColumnText(1),
                      row.ColumnText(2),
                      row.ColumnText(3),
                      row.ColumnText(4) == child_id,
                      {}};
    if (!entry.subject && !NamesChild(detail, child_id, referral_ids)) return;
    if (entry.subject) {
      entry.fields = FieldNames(detail);
      AddCardEvents(entry, detail, cards);
    }
    out.push_back(std::move(entry));
  }));
  return out;
}

}  // namespace onecard::terminal
