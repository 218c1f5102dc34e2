#include "onecard/terminal/card_repository.h"

#include <set>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/erasure_repository.h"

namespace onecard::terminal {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

Result<bool> CardRepository::RecordRead(const CardContents& card) {
  RETURN_IF_ERROR(CheckNotRevoked(card));  // a revoked card imports nothing
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
  // The card of an erased child brings nothing of it back (its serial may not be known here).
  RETURN_IF_ERROR(ErasureRepository(unit_).CheckNotErased(child_id));

  ChildrenRepository children(unit_);
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::optional<ChildState> state, children.Load(child_id));
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
    RETURN_IF_ERROR(children.RecordChange(merged, change, stamp));
  RETURN_IF_ERROR(SaveProof(child_id, card));
  RETURN_IF_ERROR(unit_.Audit(imported ? "card.read.import" : "card.read", child_id,
                              {{"serial", card.serial}, {"signer", card.signer_terminal_id}}));
  RETURN_IF_ERROR(tx.Commit());
  return imported;
}

Status CardRepository::SaveProof(const std::string& child_id, const CardContents& card) {
  if (card.sealed_record.empty()) return Status::Ok();  // not read from a card (tests)
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare(
          "INSERT INTO card_proofs(child_id, serial, sealed_record, read_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(child_id) DO UPDATE SET serial = excluded.serial, "
          "sealed_record = excluded.sealed_record, read_at = excluded.read_at"));
  return st.Bind(1, child_id)
      .Bind(2, ByteSpan(card.serial_bytes))
      .Bind(3, ByteSpan(card.sealed_record))
      .Bind(4, UtcNowIso8601(unit_.clock()))
      .Run();
}

Status CardRepository::AuditWrite(const std::string& action, const std::string& child_id,
                                  const std::string& serial) {
  return unit_.AuditAlone(action, child_id, {{"serial", serial}});
}

}  // namespace onecard::terminal
