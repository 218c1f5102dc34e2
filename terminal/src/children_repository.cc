#include "onecard/terminal/children_repository.h"

#include "child_projection.h"
#include "child_search.h"
#include "onecard/protocol/ageing_out.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/erasure_repository.h"
#include "onecard/terminal/outbox.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

json FieldNames(const json& fields) {
  json names = json::array();
  for (const auto& [k, v] : fields.items()) names.push_back(k);
  return names;
}

}  // namespace

json ClosedRecord(const std::string& child_id, CivilDate closed_on) {
  return {{"child_id", child_id}, {"closed_on", closed_on.ToString()}};
}

bool IsClosedRecord(const json& record) { return record.contains("closed_on"); }

std::optional<CivilDate> ChildrenRepository::ClosedOnToday(const json& record) const {
  return ClosedOn(record.value("birth_date", ""), CivilDate::TodayInChina(unit_.clock()));
}

json ChildrenRepository::Shown(const ChildState& state) const {
  json record = state.Record();
  if (std::optional<CivilDate> closed = ClosedOnToday(record))
    return ClosedRecord(state.child_id(), *closed);
  return record;
}

Result<std::optional<ChildState>> ChildrenRepository::Load(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("SELECT state FROM children WHERE child_id = ?"));
  st.Bind(1, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ChildState>();
  json j = json::parse(st.ColumnText(0), nullptr, false);
  ASSIGN_OR_RETURN(ChildState state, ChildState::FromJson(j));
  return std::optional<ChildState>(std::move(state));
}

Result<ChildState> ChildrenRepository::LoadKnown(const std::string& child_id) {
  ASSIGN_OR_RETURN(std::optional<ChildState> state, Load(child_id));
  if (!state) {
    // An erased child is named as such (erasure_repository.h).
    ASSIGN_OR_RETURN(std::optional<ErasureRecord> erased, ErasureRepository(unit_).Find(child_id));
    if (erased) return Status(ErrorCode::kNotFound, ErasureText(*erased));
    return Status(ErrorCode::kNotFound,
                  Tr("本终端没有儿童 " + child_id, "no child " + child_id + " at this terminal"));
  }
  return std::move(*state);
}

Result<ChildState> ChildrenRepository::LoadOpen(const std::string& child_id) {
  ASSIGN_OR_RETURN(ChildState state, LoadKnown(child_id));
  if (std::optional<CivilDate> closed = ClosedOnToday(state.Record())) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("儿童 " + child_id + " 已于 " + closed->ToString() + " 年满 18 岁，记录已关闭",
           "child " + child_id + " turned 18 on " + closed->ToString() + ": the record is closed"));
  }
  return state;
}

Status ChildrenRepository::Save(const ChildState& state) {
  json record = state.Record();
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare(
          "INSERT INTO children(child_id, state, name, id_number, updated_at, conflicted) VALUES "
          "(?, ?, ?, ?, ?, ?) "
          "ON CONFLICT(child_id) DO UPDATE SET state = excluded.state, name = excluded.name, "
          "id_number = excluded.id_number, updated_at = excluded.updated_at, conflicted = "
          "excluded.conflicted"));
  st.Bind(1, state.child_id())
      .Bind(2, state.ToJsonText())
      .Bind(3, record.value("name", ""))
      .Bind(4, record.value("id_number", ""))
      .Bind(5, UtcNowIso8601(unit_.clock()))
      .Bind(6, int64_t{state.HasConflicts() ? 1 : 0});
  RETURN_IF_ERROR(st.Run());
  return WriteChildProjection(unit_.db(), state.child_id(), record);
}

Status ChildrenRepository::RecordChange(ChildState& state, const json& fields,
                                        const std::optional<Stamp>& stamp_override) {
  return RecordChange(state, state.ChangeTo(fields), stamp_override);
}

Status ChildrenRepository::RecordChange(ChildState& state, const ChildChange& change,
                                        const std::optional<Stamp>& stamp_override) {
  json payload = {{"child_id", state.child_id()}};
  change.WriteTo(payload);
  if (stamp_override) payload["stamp"] = StampToJson(*stamp_override);
  ASSIGN_OR_RETURN(Stamp stamp,
                   Outbox(unit_).Append(event_type::kChildUpsert, state.child_id(), payload));
  state.ApplyChange(change, stamp_override.value_or(stamp));
  return Save(state);
}

Result<std::string> ChildrenRepository::Register(const json& record) {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(uint64_t number, unit_.MetaNumber("next_child_number"));
  std::string child_id = unit_.terminal_id() + "-" + std::to_string(number);
  RETURN_IF_ERROR(unit_.SetMeta("next_child_number", std::to_string(number + 1)));
  ChildState state(child_id);
  json fields = record;
  fields.erase("child_id");
  RETURN_IF_ERROR(RecordChange(state, fields));
  RETURN_IF_ERROR(unit_.Audit("child.register", child_id, {{"fields", FieldNames(fields)}}));
  RETURN_IF_ERROR(tx.Commit());
  return child_id;
}

Result<json> ChildrenRepository::Update(const std::string& child_id, const json& fields) {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(ChildState state, LoadOpen(child_id));
  RETURN_IF_ERROR(RecordChange(state, fields));
  RETURN_IF_ERROR(unit_.Audit("child.update", child_id, {{"fields", FieldNames(fields)}}));
  RETURN_IF_ERROR(tx.Commit());
  return state.Record();
}

Result<json> ChildrenRepository::RecordOf(const std::string& child_id) {
  ASSIGN_OR_RETURN(ChildState state, LoadOpen(child_id));
  json record = state.Record();
  record[kCardStampField] = StampToJson(state.Latest());
  return record;
}

Result<json> ChildrenRepository::Show(const std::string& child_id) {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(ChildState state, LoadKnown(child_id));
  RETURN_IF_ERROR(unit_.Audit("child.read", child_id, json::object()));
  RETURN_IF_ERROR(tx.Commit());
  return Shown(state);
}

Result<std::vector<json>> ChildrenRepository::Search(const std::string& name,
                                                     const std::string& id_number) {
  if (name.empty() && id_number.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请给出 --name 或 --id-number", "give --name or --id-number"));
  }
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::vector<std::string> ids, FindChildIds(unit_.db(), name, id_number, 200));
  std::vector<json> out;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, Load(id));
    if (state) out.push_back(Shown(*state));
  }
  RETURN_IF_ERROR(unit_.Audit("child.search", "", {{"results", ids}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<json>> ChildrenRepository::ListOpen(
    const std::string& audit_action, const std::function<bool(const json&)>& keep) {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("SELECT child_id FROM children ORDER BY child_id"));
  std::vector<std::string> ids;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) { ids.push_back(row.ColumnText(0)); }));
  std::vector<json> out;
  std::vector<std::string> listed;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, Load(id));
    if (!state) continue;
    json shown = Shown(*state);
    if (IsClosedRecord(shown) || !keep(shown)) continue;
    listed.push_back(id);
    out.push_back(std::move(shown));
  }
  RETURN_IF_ERROR(unit_.Audit(audit_action, "", {{"results", listed}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace onecard::terminal
