// The typed form of sync events (version 3): `Event.body`, one message per type, to and from
// EventBody. A child change's values (fields, added doses) are canonical JSON bytes inside the
// typed message (sync.proto, ChildUpsert); everything else is a protobuf field.
#include <nlohmann/json.hpp>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "sync_event_forms.h"

namespace onecard {
namespace {

using nlohmann::json;
using sync_event_internal::Malformed;

Stamp FromWire(const wire::EventStamp& s) { return Stamp{s.hlc(), s.terminal_id(), s.seq()}; }

void ToWire(const Stamp& s, wire::EventStamp& out) {
  out.set_hlc(s.hlc);
  out.set_terminal_id(s.terminal_id);
  out.set_seq(s.seq);
}

// One canonical JSON object of a ChildUpsert (`what` names it in the message).
Result<json> JsonObject(const std::string& bytes, const std::string& what) {
  Result<json> parsed = ParseJson(bytes, what);
  if (!parsed.ok()) return Malformed(parsed.status().message(), parsed.status().message());
  if (!parsed->is_object()) {
    return Malformed(what + " 不是 JSON 对象", what + " is not a JSON object");
  }
  return parsed;
}

// The change's fields; a legacy "immunizations" list among them becomes additions, as in
// ChildChange::ReadFrom.
Result<ChildChange> ChangeFromWire(const wire::ChildUpsert& in, const Stamp& stamp) {
  ASSIGN_OR_RETURN(json fields, JsonObject(in.fields(), "fields"));
  if (auto imm = fields.find("immunizations");
      imm != fields.end() && !imm->is_array() && !imm->is_null()) {
    return Malformed("fields.immunizations 格式错误", "fields.immunizations is malformed");
  }
  ChildChange change = ChildChange::WithoutBase(std::move(fields));
  for (const wire::FieldBase& base : in.base()) {
    if (!change.fields.contains(base.field()) || change.base.contains(base.field())) {
      return Malformed("base." + base.field() + " 格式错误",
                       "base." + base.field() + " is malformed");
    }
    std::vector<Stamp>& seen = change.base[base.field()];
    for (const wire::EventStamp& s : base.seen()) {
      // An editor can only have seen values older than its change.
      if (!(FromWire(s) < stamp)) {
        return Malformed("base." + base.field() + " 格式错误",
                         "base." + base.field() + " is malformed");
      }
      seen.push_back(FromWire(s));
    }
  }
  for (const std::string& dose : in.dose_add()) {
    ASSIGN_OR_RETURN(json added, JsonObject(dose, "doses.add"));
    change.dose_add.push_back(std::move(added));
  }
  for (const wire::DoseRemoval& removal : in.dose_remove()) {
    DoseTag tag{FromWire(removal.stamp()), removal.key()};
    if (!(tag.stamp < stamp)) {
      return Malformed("doses.remove 格式错误", "doses.remove is malformed");
    }
    change.dose_remove.push_back(std::move(tag));
  }
  return change;
}

Result<EventBody> ChildUpsertFromWire(const wire::Event& event) {
  const wire::ChildUpsert& in = event.child_upsert();
  ChildUpsertEvent upsert;
  if (in.has_carried_stamp()) upsert.carried_stamp = FromWire(in.carried_stamp());
  ASSIGN_OR_RETURN(upsert.change,
                   ChangeFromWire(in, upsert.carried_stamp.value_or(EventStampOf(event))));
  return EventBody(std::move(upsert));
}

Result<EventBody> ReferralCreateFromWire(const wire::Event& event) {
  Referral r = ReferralCreatedAs(event.referral_create());
  RETURN_IF_ERROR(CheckReferralCreateFields(r));
  r.created_hlc = event.hlc();
  r.status_stamp = EventStampOf(event);
  return EventBody(std::move(r));
}

void ChildUpsertToWire(const ChildUpsertEvent& upsert, wire::ChildUpsert& out) {
  const ChildChange& change = upsert.change;
  out.set_fields(change.fields.dump());
  for (const auto& [field, stamps] : change.base) {
    wire::FieldBase* base = out.add_base();
    base->set_field(field);
    for (const Stamp& s : stamps) ToWire(s, *base->add_seen());
  }
  for (const json& dose : change.dose_add) out.add_dose_add(dose.dump());
  for (const DoseTag& tag : change.dose_remove) {
    wire::DoseRemoval* removal = out.add_dose_remove();
    removal->set_key(tag.key);
    ToWire(tag.stamp, *removal->mutable_stamp());
  }
  if (upsert.carried_stamp) ToWire(*upsert.carried_stamp, *out.mutable_carried_stamp());
}

}  // namespace

Result<EventBody> FromTyped(const wire::Event& event) {
  switch (event.body_case()) {
    case wire::Event::kChildUpsert:
      return ChildUpsertFromWire(event);
    case wire::Event::kCardRevoke: {
      const wire::CardRevoke& in = event.card_revoke();
      return EventBody(CardRevokeEvent{in.serial(), in.child_id(), in.reason()});
    }
    case wire::Event::kReferralCreate:
      return ReferralCreateFromWire(event);
    case wire::Event::kReferralStatus: {
      const wire::ReferralStatusChange& in = event.referral_status();
      ASSIGN_OR_RETURN(ReferralStatusChange change,
                       MakeReferralStatusChange(in.referral_id(), in.status(), in.outcome(),
                                                in.decline_reason()));
      return EventBody(std::move(change));
    }
    case wire::Event::kIdentityDecision: {
      const wire::IdentityDecision& in = event.identity_decision();
      return EventBody(IdentityDecisionEvent{in.a(), in.b(), in.decision(), in.by()});
    }
    case wire::Event::kChildErase:
      return EventBody(ChildEraseEvent{event.child_erase().reason(), event.child_erase().by()});
    case wire::Event::BODY_NOT_SET:
      break;
  }
  return Status(
      ErrorCode::kInvalidArgument,
      Tr("事件没有类型化内容（或内容的类型本版本不认识）",
         "the event carries no typed body (or one of a type this version does not know)"));
}

void WriteTyped(const EventBody& body, wire::Event& event) {
  event.clear_type();
  event.clear_payload();
  std::visit(
      [&event](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ChildUpsertEvent>) {
          ChildUpsertToWire(b, *event.mutable_child_upsert());
        } else if constexpr (std::is_same_v<T, CardRevokeEvent>) {
          wire::CardRevoke* out = event.mutable_card_revoke();
          out->set_serial(b.serial);
          out->set_child_id(b.child_id);
          out->set_reason(b.reason);
        } else if constexpr (std::is_same_v<T, Referral>) {
          wire::ReferralCreate* out = event.mutable_referral_create();
          out->set_referral_id(b.referral_id);
          out->set_child_id(b.child_id);
          out->set_service(b.service);
          out->set_from_site(b.from_site);
          out->set_to_site(b.to_site);
          out->set_reason(b.reason);
        } else if constexpr (std::is_same_v<T, ReferralStatusChange>) {
          wire::ReferralStatusChange* out = event.mutable_referral_status();
          out->set_referral_id(b.referral_id);
          out->set_status(std::string(ReferralStatusName(b.status)));
          out->set_outcome(b.outcome);
          out->set_decline_reason(b.decline_reason);
        } else if constexpr (std::is_same_v<T, IdentityDecisionEvent>) {
          wire::IdentityDecision* out = event.mutable_identity_decision();
          out->set_a(b.a);
          out->set_b(b.b);
          out->set_decision(b.decision);
          out->set_by(b.by);
        } else {
          static_assert(std::is_same_v<T, ChildEraseEvent>);
          wire::ChildErase* out = event.mutable_child_erase();
          out->set_reason(b.reason);
          out->set_by(b.by);
        }
      },
      body);
}

}  // namespace onecard
