#include "onecard/terminal/child_export.h"

#include <set>

#include "child_export_parts.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/erasure_repository.h"
#include "onecard/terminal/identity_repository.h"
#include "onecard/terminal/referral_repository.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// The parts beyond the child's state, read inside the export's transaction (after its audit
// entry, so the accesses end with this export).
Status ReadHeldParts(UnitOfWork& unit, ChildExport& out) {
  schema::Database& db = unit.db();
  const std::string& id = out.child_id;
  ASSIGN_OR_RETURN(out.pending, HeldChangesOf(db, unit.terminal_id(), id, false));
  ASSIGN_OR_RETURN(out.refused, HeldChangesOf(db, unit.terminal_id(), id, true));
  ASSIGN_OR_RETURN(out.set_aside, SetAsideOf(db, id));
  IdentityRepository identity(unit);
  ASSIGN_OR_RETURN(out.move, identity.MoveOf(id));
  ASSIGN_OR_RETURN(out.same_child_as, identity.OtherRecordsOf(id));
  ASSIGN_OR_RETURN(out.in_review_with, InReviewWith(db, id));
  ASSIGN_OR_RETURN(out.referrals, ReferralRepository(unit).Of(id));
  if (auto serial = out.record.find("card_serial");
      serial != out.record.end() && serial->is_string()) {
    out.cards.current = serial->get<std::string>();
  }
  RETURN_IF_ERROR(ReadCardTables(db, id, out.cards));
  std::set<std::string> referral_ids;
  for (const Referral& r : out.referrals) referral_ids.insert(r.referral_id);
  ASSIGN_OR_RETURN(out.accesses, AccessesOf(db, id, referral_ids, out.cards));
  return Status::Ok();
}

json StampJson(const Stamp& s) {
  return {{"at", StampTimeIso8601(s)}, {"terminal_id", s.terminal_id}};
}

json HeldChangeJson(const HeldChange& c) {
  json j = {
      {"seq", c.seq}, {"type", c.type}, {"at", StampTimeIso8601(c.stamp)}, {"payload", c.payload}};
  if (!c.refused_at.empty()) {
    j["refusal"] = {{"code", c.refusal_code}, {"message", c.refusal_message}, {"at", c.refused_at}};
  }
  return j;
}

json HistoryJson(const ChildExport& e) {
  json fields = json::array(), doses = json::array(), removed = json::array();
  for (const FieldHistory& f : e.fields) {
    json replaced = json::array();
    for (const Stamp& s : f.replaced) replaced.push_back(StampJson(s));
    fields.push_back({{"field", f.field},
                      {"set", StampJson(f.stamp)},
                      {"removed", f.removed},
                      {"concurrent_values", f.concurrent},
                      {"replaced", replaced}});
  }
  for (const DoseEntry& d : e.doses)
    doses.push_back({{"dose", d.value}, {"added", StampJson(d.tag.stamp)}});
  for (const DoseTag& t : e.removed_doses)
    removed.push_back({{"dose", t.key}, {"added", StampJson(t.stamp)}});
  json pending = json::array(), refused = json::array(), set_aside = json::array();
  for (const HeldChange& c : e.pending) pending.push_back(HeldChangeJson(c));
  for (const HeldChange& c : e.refused) refused.push_back(HeldChangeJson(c));
  for (const auto& [at, why] : e.set_aside) set_aside.push_back({{"at", at}, {"message", why}});
  return {{"fields", fields},
          {"immunizations", {{"doses", doses}, {"removed", removed}}},
          {"pending_changes", pending},
          {"refused_changes", refused},
          {"set_aside", set_aside}};
}

json CardsJson(const ChildCards& c) {
  json events = json::array(), revoked = json::array();
  for (const CardEvent& e : c.events)
    events.push_back({{"at", e.at}, {"action", e.action}, {"serial", e.serial}});
  for (const CardRevocation& r : c.revoked) {
    revoked.push_back({{"serial", r.serial},
                       {"reason", r.reason},
                       {"at", UtcIso8601(r.revoked_at_ms / 1000)},
                       {"by_terminal", r.revoked_by}});
  }
  json last_read = nullptr;
  if (!c.last_read_serial.empty())
    last_read = {{"serial", c.last_read_serial}, {"at", c.last_read_at}};
  return {{"current", c.current},
          {"events", events},
          {"last_read_here", last_read},
          {"revoked", revoked}};
}

}  // namespace

json ChildExport::ToJson() const {
  json referral_list = json::array(), conflict_list = json::array(), access_list = json::array();
  for (const Referral& r : referrals) referral_list.push_back(r.ToJson());
  for (const FieldConflict& c : conflicts) conflict_list.push_back(c.ToJson());
  for (const ChildAccess& a : accesses) {
    json j = {{"id", a.id},
              {"at", a.at},
              {"actor", a.actor},
              {"action", a.action},
              {"subject", a.subject}};
    if (!a.fields.empty()) j["fields"] = a.fields;
    access_list.push_back(std::move(j));
  }
  return {{"format", "onecard-child-export/1"},
          {"child_id", child_id},
          {"exported", {{"at", exported_at}, {"by", exported_by}, {"terminal_id", terminal_id}}},
          {"record", record},
          {"history", HistoryJson(*this)},
          {"move", move},
          {"referrals", referral_list},
          {"cards", CardsJson(cards)},
          {"conflicts", conflict_list},
          {"same_child_as", same_child_as},
          {"identity_review", in_review_with},
          {"accesses", access_list}};
}

Result<ChildExport> ExportRepository::Of(const std::string& child_id) {
  ASSIGN_OR_RETURN(schema::Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::optional<ErasureRecord> erased, ErasureRepository(unit_).Find(child_id));
  if (erased) {
    return Status(ErrorCode::kPermissionDenied,
                  ErasureText(*erased) + Tr("，本终端不再保存其个人数据，无可导出",
                                            "; nothing of the child is held here to export"));
  }
  ASSIGN_OR_RETURN(ChildState state, ChildrenRepository(unit_).LoadOpen(child_id));
  RETURN_IF_ERROR(unit_.Audit("child.export", child_id, json::object()));
  ChildExport out;
  out.child_id = child_id;
  out.terminal_id = unit_.terminal_id();
  out.exported_by = unit_.user();
  out.record = state.Record();  // the canonical record, without the card stamp
  out.fields = FieldHistoryOf(state);
  for (const auto& [tag, dose] : state.doses().live()) out.doses.push_back(DoseEntry{dose, tag});
  out.removed_doses.assign(state.doses().removed().begin(), state.doses().removed().end());
  out.conflicts = state.Conflicts();
  RETURN_IF_ERROR(ReadHeldParts(unit_, out));
  ONECARD_CHECK(!out.accesses.empty());  // the entry just written is among them
  out.exported_at = out.accesses.back().at;
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace onecard::terminal
