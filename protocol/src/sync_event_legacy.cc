// The legacy form of sync events (versions 1 and 2): `Event.type` and a canonical JSON
// `Event.payload` (sync.proto lists the payload of each type), to and from EventBody.
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
using sync_event_internal::Quoted;

// payload[key] as a string: "" when absent, an error when of another JSON type.
Result<std::string> OptionalText(const json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end()) return std::string();
  if (!it->is_string()) {
    return Malformed(std::string("字段 ") + key + " 不是字符串",
                     std::string("field ") + key + " is not a string");
  }
  return it->get<std::string>();
}

// {"child_id": <the event's>, "fields": ..., "base": ..., "doses": ..., "stamp": ...}.
Result<EventBody> ChildUpsertFromJson(const wire::Event& event, json& payload) {
  auto child_id = payload.find("child_id");
  if (child_id == payload.end() || !child_id->is_string() ||
      child_id->get_ref<const std::string&>() != event.child_id() || event.child_id().empty()) {
    const bool names_one = child_id != payload.end() && child_id->is_string();
    const std::string named = names_one ? Quoted(child_id->get_ref<const std::string&>()) : "";
    return Status(
        ErrorCode::kInvalidArgument,
        Tr("内容不是该儿童 " + Quoted(event.child_id()) + " 的变更（内容所写儿童：" +
               (names_one ? named : "无") + "）",
           "the payload is not a change of the event's child " + Quoted(event.child_id()) +
               " (the payload names " + (names_one ? named : "none") + ")"));
  }
  ChildUpsertEvent upsert;
  if (auto carried = payload.find("stamp"); carried != payload.end()) {
    upsert.carried_stamp = StampFromJson(*carried);
    if (!upsert.carried_stamp) {
      return Status(
          ErrorCode::kInvalidArgument,
          Tr("所带卡片记录的时间戳无效", "the card record's stamp it carries is invalid"));
    }
  }
  const Stamp stamp = upsert.carried_stamp.value_or(EventStampOf(event));
  ASSIGN_OR_RETURN(upsert.change, ChildChange::ReadFrom(payload, stamp));
  return EventBody(std::move(upsert));
}

Result<EventBody> CardRevokeFromJson(const json& payload) {
  CardRevokeEvent revoke;
  ASSIGN_OR_RETURN(revoke.serial, OptionalText(payload, "serial"));
  ASSIGN_OR_RETURN(revoke.child_id, OptionalText(payload, "child_id"));
  ASSIGN_OR_RETURN(revoke.reason, OptionalText(payload, "reason"));
  return EventBody(std::move(revoke));
}

Result<EventBody> IdentityDecisionFromJson(const json& payload) {
  IdentityDecisionEvent decision;
  ASSIGN_OR_RETURN(decision.a, OptionalText(payload, "a"));
  ASSIGN_OR_RETURN(decision.b, OptionalText(payload, "b"));
  ASSIGN_OR_RETURN(decision.decision, OptionalText(payload, "decision"));
  ASSIGN_OR_RETURN(decision.by, OptionalText(payload, "by"));
  return EventBody(std::move(decision));
}

json ChildUpsertToJson(const ChildUpsertEvent& upsert, const std::string& child_id) {
  json payload = json::object();
  payload["child_id"] = child_id;
  upsert.change.WriteTo(payload);
  if (upsert.carried_stamp) payload["stamp"] = StampToJson(*upsert.carried_stamp);
  return payload;
}

}  // namespace

Result<EventBody> FromLegacy(const wire::Event& event) {
  const event_type::TypeInfo* info = event_type::Find(event.type());
  if (info == nullptr) {
    return Status(ErrorCode::kInvalidArgument, Tr("未知的事件类型 " + Quoted(event.type()),
                                                  "unknown event type " + Quoted(event.type())));
  }
  Result<json> parsed = ParseJson(event.payload(), "payload");
  if (!parsed.ok()) return parsed.status();
  json& payload = *parsed;
  if (!payload.is_object()) {
    return Malformed("内容不是 JSON 对象", "the payload is not a JSON object");
  }
  switch (info->body_case) {
    case wire::Event::kChildUpsert:
      return ChildUpsertFromJson(event, payload);
    case wire::Event::kCardRevoke:
      return CardRevokeFromJson(payload);
    case wire::Event::kReferralCreate: {
      ASSIGN_OR_RETURN(Referral r, ReferralFromCreatePayload(payload, EventStampOf(event)));
      return EventBody(std::move(r));
    }
    case wire::Event::kReferralStatus: {
      ASSIGN_OR_RETURN(ReferralStatusChange change, ReferralStatusFromPayload(payload));
      return EventBody(std::move(change));
    }
    case wire::Event::kIdentityDecision:
      return IdentityDecisionFromJson(payload);
    case wire::Event::BODY_NOT_SET:
      break;
  }
  ONECARD_CHECK(false);  // every registry entry has a case above
  return Status(ErrorCode::kInternal, "unreachable");
}

void WriteLegacy(const EventBody& body, wire::Event& event) {
  json payload = std::visit(
      [&event](const auto& b) -> json {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ChildUpsertEvent>) {
          return ChildUpsertToJson(b, event.child_id());
        } else if constexpr (std::is_same_v<T, CardRevokeEvent>) {
          return {{"serial", b.serial}, {"child_id", b.child_id}, {"reason", b.reason}};
        } else if constexpr (std::is_same_v<T, Referral>) {
          return ReferralCreatePayload(b);
        } else if constexpr (std::is_same_v<T, ReferralStatusChange>) {
          return ReferralStatusPayload(b);
        } else {
          static_assert(std::is_same_v<T, IdentityDecisionEvent>);
          return {{"a", b.a}, {"b", b.b}, {"decision", b.decision}, {"by", b.by}};
        }
      },
      body);
  event.clear_body();
  event.set_type(std::string(EventTypeName(body)));
  event.set_payload(payload.dump());
}

}  // namespace onecard
