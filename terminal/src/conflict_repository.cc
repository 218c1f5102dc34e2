#include "onecard/terminal/conflict_repository.h"

#include <algorithm>

#include "onecard/protocol/i18n.h"
#include "onecard/terminal/children_repository.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

std::string EventId(const Stamp& s) { return s.terminal_id + ":" + std::to_string(s.seq); }

// The record fields an edit sets to give `field` the value `chosen`: the field itself, or for one
// dose identity the whole dose list with that dose replaced.
json FieldsChoosing(const ChildState& state, const std::string& field, const json& chosen) {
  static const std::string kDosePrefix = "immunizations[";
  if (!field.starts_with(kDosePrefix)) return json{{field, chosen}};
  json doses = state.doses().List();
  std::string key = DoseKey(chosen);
  for (json& d : doses) {
    if (DoseKey(d) == key) d = chosen;
  }
  return json{{"immunizations", doses}};
}

}  // namespace

Result<std::vector<FieldConflict>> ConflictRepository::Of(const std::string& child_id) {
  ASSIGN_OR_RETURN(ChildState state, ChildrenRepository(unit_).LoadKnown(child_id));
  return state.Conflicts();
}

Result<json> ConflictRepository::List() {
  ChildrenRepository children(unit_);
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare("SELECT child_id FROM children WHERE conflicted = 1 ORDER BY child_id"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, st.FirstColumnTexts());
  json out = json::array();
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, children.Load(id));
    if (!state) continue;
    json conflicts = json::array();
    for (const FieldConflict& c : state->Conflicts()) conflicts.push_back(c.ToJson());
    const FieldValue* name = state->Winner("name");
    out.push_back({{"child_id", id},
                   {"name", name != nullptr ? name->value : json()},
                   {"conflicts", std::move(conflicts)}});
  }
  RETURN_IF_ERROR(unit_.Audit("conflict.list", "", {{"children", ids}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<json> ConflictRepository::Resolve(const std::string& child_id, const std::string& field,
                                         const std::string& value_from) {
  ChildrenRepository children(unit_);
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(ChildState state, children.LoadKnown(child_id));
  std::vector<FieldConflict> conflicts = state.Conflicts();
  auto conflict = std::find_if(conflicts.begin(), conflicts.end(),
                               [&](const FieldConflict& c) { return c.field == field; });
  if (conflict == conflicts.end()) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("儿童 " + child_id + " 的字段 " + field + " 没有未解决的冲突",
                     "child " + child_id + " has no open conflict on field " + field));
  }
  std::vector<const FieldValue*> matches;
  for (const FieldValue& v : conflict->values) {
    if (v.stamp.terminal_id == value_from || EventId(v.stamp) == value_from) matches.push_back(&v);
  }
  if (matches.size() != 1) {
    std::string choices;
    for (const FieldValue& v : conflict->values)
      choices += (choices.empty() ? "" : ", ") + EventId(v.stamp);
    return Status(
        ErrorCode::kInvalidArgument,
        matches.empty()
            ? Tr("--value-from " + value_from + " 不是字段 " + field + " 的冲突值之一（可选：" +
                     choices + "）",
                 "--value-from " + value_from + " names none of the conflicting values of " +
                     field + " (choose from: " + choices + ")")
            : Tr("终端 " + value_from + " 写了字段 " + field + " 的多个冲突值，请给出事件编号（" +
                     choices + "）",
                 "terminal " + value_from + " wrote several conflicting values of " + field +
                     "; give the event id (" + choices + ")"));
  }
  Stamp chosen = matches.front()->stamp;
  RETURN_IF_ERROR(
      children.RecordChange(state, FieldsChoosing(state, field, matches.front()->value)));
  RETURN_IF_ERROR(unit_.Audit("conflict.resolve", child_id,
                              {{"field", field}, {"value_from", EventId(chosen)}}));
  RETURN_IF_ERROR(tx.Commit());
  return state.Record();
}

}  // namespace onecard::terminal
