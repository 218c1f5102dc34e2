// TerminalStore: children — registration, updates, reads and search, card imports.
#include <set>

#include "child_projection.h"
#include "child_search.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

Status UnknownChild(const std::string& child_id) {
  return Status(ErrorCode::kNotFound,
                Tr("本终端没有儿童 " + child_id, "no child " + child_id + " at this terminal"));
}

json FieldNames(const json& fields) {
  json names = json::array();
  for (const auto& [k, v] : fields.items()) names.push_back(k);
  return names;
}

}  // namespace

Result<std::optional<ChildState>> TerminalStore::LoadState(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT state FROM children WHERE child_id = ?"));
  st.Bind(1, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ChildState>();
  json j = json::parse(st.ColumnText(0), nullptr, false);
  ASSIGN_OR_RETURN(ChildState state, ChildState::FromJson(j));
  return std::optional<ChildState>(std::move(state));
}

Status TerminalStore::SaveState(const ChildState& state) {
  json record = state.Record();
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "INSERT INTO children(child_id, state, name, id_number, updated_at, conflicted) VALUES "
          "(?, ?, ?, ?, ?, ?) "
          "ON CONFLICT(child_id) DO UPDATE SET state = excluded.state, name = excluded.name, "
          "id_number = excluded.id_number, updated_at = excluded.updated_at, conflicted = "
          "excluded.conflicted"));
  st.Bind(1, state.child_id())
      .Bind(2, state.ToJsonText())
      .Bind(3, record.value("name", ""))
      .Bind(4, record.value("id_number", ""))
      .Bind(5, UtcNowIso8601(*clock_))
      .Bind(6, int64_t{state.HasConflicts() ? 1 : 0});
  RETURN_IF_ERROR(st.Run());
  return WriteChildProjection(db_, state.child_id(), record);
}

Status TerminalStore::RecordChange(ChildState& state, const json& fields,
                                   const std::optional<Stamp>& stamp_override) {
  return RecordChange(state, state.ChangeTo(fields), stamp_override);
}

Status TerminalStore::RecordChange(ChildState& state, const ChildChange& change,
                                   const std::optional<Stamp>& stamp_override) {
  ASSIGN_OR_RETURN(std::string next, Meta("next_seq"));
  uint64_t seq = std::stoull(next);
  ASSIGN_OR_RETURN(uint64_t hlc, NextHlc());
  json payload = {{"child_id", state.child_id()}};
  change.WriteTo(payload);
  Stamp stamp{hlc, terminal_id_, seq};
  if (stamp_override) {
    payload["stamp"] = StampToJson(*stamp_override);
    stamp = *stamp_override;
  }
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO outbox(seq, hlc, type, child_id, "
                                             "payload) VALUES (?, ?, 'child.upsert', ?, ?)"));
  RETURN_IF_ERROR(st.Bind(1, static_cast<int64_t>(seq))
                      .Bind(2, static_cast<int64_t>(hlc))
                      .Bind(3, state.child_id())
                      .Bind(4, payload.dump())
                      .Run());
  RETURN_IF_ERROR(SetMetaValue("next_seq", std::to_string(seq + 1)));
  state.ApplyChange(change, stamp);
  return SaveState(state);
}

Result<std::string> TerminalStore::Register(const json& record) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(std::string number, Meta("next_child_number"));
  std::string child_id = terminal_id_ + "-" + number;
  RETURN_IF_ERROR(SetMetaValue("next_child_number", std::to_string(std::stoull(number) + 1)));
  ChildState state(child_id);
  json fields = record;
  fields.erase("child_id");
  RETURN_IF_ERROR(RecordChange(state, fields, std::nullopt));
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, "child.register", child_id,
                              {{"fields", FieldNames(fields)}}));
  RETURN_IF_ERROR(tx.Commit());
  return child_id;
}

Result<json> TerminalStore::Update(const std::string& child_id, const json& fields) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(std::optional<ChildState> state, LoadState(child_id));
  if (!state) return UnknownChild(child_id);
  RETURN_IF_ERROR(RecordChange(*state, fields, std::nullopt));
  RETURN_IF_ERROR(
      AppendAudit(db_, *clock_, user_, "child.update", child_id, {{"fields", FieldNames(fields)}}));
  RETURN_IF_ERROR(tx.Commit());
  return state->Record();
}

Result<json> TerminalStore::RecordOf(const std::string& child_id) {
  ASSIGN_OR_RETURN(std::optional<ChildState> state, LoadState(child_id));
  if (!state) return UnknownChild(child_id);
  json record = state->Record();
  Stamp latest = state->Latest();
  record[kCardStampField] = StampToJson(latest);
  return record;
}

Result<json> TerminalStore::Show(const std::string& child_id) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(std::optional<ChildState> state, LoadState(child_id));
  if (!state) return UnknownChild(child_id);
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, "child.read", child_id, json::object()));
  RETURN_IF_ERROR(tx.Commit());
  return state->Record();
}

Result<std::vector<json>> TerminalStore::Search(const std::string& name,
                                                const std::string& id_number) {
  if (name.empty() && id_number.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请给出 --name 或 --id-number", "give --name or --id-number"));
  }
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, FindChildIds(db_, name, id_number, 200));
  std::vector<json> out;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(std::optional<ChildState> state, LoadState(id));
    if (state) out.push_back(state->Record());
  }
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, "child.search", "", {{"results", ids}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<bool> TerminalStore::RecordCardRead(const CardContents& card) {
  RETURN_IF_ERROR(CheckCardNotRevoked(card));  // a revoked card imports nothing
  json record = card.child;
  std::string child_id = record.value("child_id", "");
  if (child_id.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("卡上的记录没有 child_id", "the record on the card has no child_id"));
  }
  // The stamp of the record when it was written; changes made after that elsewhere still win.
  Stamp stamp{0, card.signer_terminal_id, 0};
  if (auto it = record.find(kCardStampField); it != record.end()) {
    if (std::optional<Stamp> carried = StampFromJson(*it)) stamp = *carried;
  }
  record.erase(kCardStampField);
  record.erase("child_id");

  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(std::optional<ChildState> state, LoadState(child_id));
  bool imported = !state.has_value();
  ChildState merged = imported ? ChildState(child_id) : *state;
  // Only what is newer on the card than here changes anything: a field whose value here differs
  // and is older than the card's record, and a dose not held here (a card never removes a dose).
  // It travels on as an event so the server learns what this card knew even if the issuing
  // terminal never syncs. Its bases are the values held here, all older than the card's stamp.
  json newer = json::object();
  for (const auto& [name, value] : record.items()) {
    if (name == "immunizations") continue;
    const FieldValue* here = merged.Winner(name);
    if (here == nullptr || (here->stamp < stamp && here->value != value)) newer[name] = value;
  }
  ChildChange change = merged.ChangeTo(newer);
  if (auto doses = record.find("immunizations"); doses != record.end() && doses->is_array()) {
    std::set<std::string> held;
    for (const auto& [tag, dose] : merged.doses().live()) held.insert(tag.key);
    for (const json& dose : *doses) {
      if (!held.contains(DoseKey(dose))) change.dose_add.push_back(dose);
    }
  }
  if (!change.fields.empty() || !change.dose_add.empty())
    RETURN_IF_ERROR(RecordChange(merged, change, stamp));
  RETURN_IF_ERROR(SaveCardProof(child_id, card));
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, imported ? "card.read.import" : "card.read",
                              child_id,
                              {{"serial", card.serial}, {"signer", card.signer_terminal_id}}));
  RETURN_IF_ERROR(tx.Commit());
  return imported;
}

Status TerminalStore::SaveCardProof(const std::string& child_id, const CardContents& card) {
  if (card.sealed_record.empty()) return Status::Ok();  // not read from a card (tests)
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "INSERT INTO card_proofs(child_id, serial, sealed_record, read_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(child_id) DO UPDATE SET serial = excluded.serial, "
          "sealed_record = excluded.sealed_record, read_at = excluded.read_at"));
  return st.Bind(1, child_id)
      .Bind(2, ByteSpan(card.serial_bytes))
      .Bind(3, ByteSpan(card.sealed_record))
      .Bind(4, UtcNowIso8601(*clock_))
      .Run();
}

Status TerminalStore::AuditCardWrite(const std::string& action, const std::string& child_id,
                                     const std::string& serial) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, action, child_id, {{"serial", serial}}));
  return tx.Commit();
}

}  // namespace onecard::terminal
