// The legacy form of sync events (versions 1 and 2): `Event.type` and a canonical JSON
// `Event.payload` (sync.proto lists the payload of each type), to and from EventBody.
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>

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

// The payload of an event made of texts only: each key with the member that holds it. Reading and
// writing use the same list, so the two stay in step.
template <typename Body>
using TextField = std::pair<const char*, std::string Body::*>;
constexpr TextField<CardRevokeEvent> kCardRevokeFields[] = {
    {"serial", &CardRevokeEvent::serial},
    {"child_id", &CardRevokeEvent::child_id},
    {"reason", &CardRevokeEvent::reason}};
constexpr TextField<IdentityDecisionEvent> kIdentityDecisionFields[] = {
    {"a", &IdentityDecisionEvent::a},
    {"b", &IdentityDecisionEvent::b},
    {"decision", &IdentityDecisionEvent::decision},
    {"by", &IdentityDecisionEvent::by}};
constexpr TextField<ChildEraseEvent> kChildEraseFields[] = {{"by", &ChildEraseEvent::by},
                                                            {"reason", &ChildEraseEvent::reason}};

// Each field an OptionalText: absent is "".
template <typename Body>
Result<EventBody> TextsFromJson(const json& payload, std::span<const TextField<Body>> fields) {
  Body body;
  for (const auto& [key, member] : fields) {
    ASSIGN_OR_RETURN(body.*member, OptionalText(payload, key));
  }
  return EventBody(std::move(body));
}

template <typename Body>
json TextsToJson(const Body& body, std::span<const TextField<Body>> fields) {
  json payload = json::object();
  for (const auto& [key, member] : fields) payload[key] = body.*member;
  return payload;
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
      return TextsFromJson<CardRevokeEvent>(payload, kCardRevokeFields);
    case wire::Event::kReferralCreate: {
      ASSIGN_OR_RETURN(Referral r, ReferralFromCreatePayload(payload, EventStampOf(event)));
      return EventBody(std::move(r));
    }
    case wire::Event::kReferralStatus: {
      ASSIGN_OR_RETURN(ReferralStatusChange change, ReferralStatusFromPayload(payload));
      return EventBody(std::move(change));
    }
    case wire::Event::kIdentityDecision:
      return TextsFromJson<IdentityDecisionEvent>(payload, kIdentityDecisionFields);
    case wire::Event::kChildErase:
      return TextsFromJson<ChildEraseEvent>(payload, kChildEraseFields);
    case wire::Event::BODY_NOT_SET:
      break;
  }
  ONECARD_CHECK(false);  // every registry entry has a case above
  return Status(ErrorCode::kInternal, "unreachable");
}

namespace {

// `{"base":…,"child_id":…,"doses":{"add":[…],"remove":[…]},"fields":…,"stamp":…}`, the members in
// the order of the canonical form (json objects sort their keys), from the typed message's JSON
// bytes and the parsed change's other parts.
std::string LegacyUpsertText(const wire::Event& event, const ChildUpsertEvent& upsert) {
  const ChildChange& change = upsert.change;
  const wire::ChildUpsert& typed = event.child_upsert();
  std::string out = "{";
  auto member = [&out](std::string_view key, std::string_view value) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += key;
    out += "\":";
    out += value;
  };
  if (!change.base.empty()) member("base", change.BaseJson().dump());
  member("child_id", json(event.child_id()).dump());
  if (typed.dose_add_size() > 0 || !change.dose_remove.empty()) {
    std::string added = "[";
    for (const std::string& dose : typed.dose_add()) {
      if (added.size() > 1) added += ',';
      added += dose;
    }
    added += ']';
    member("doses", "{\"add\":" + added + ",\"remove\":" + change.DoseRemovalsJson().dump() + "}");
  }
  member("fields", typed.fields());
  if (upsert.carried_stamp) member("stamp", StampToJson(*upsert.carried_stamp).dump());
  out += '}';
  return out;
}

}  // namespace

std::string LegacyPayloadText(const wire::Event& event, const EventBody& body) {
  if (event.has_child_upsert() && std::holds_alternative<ChildUpsertEvent>(body)) {
    return LegacyUpsertText(event, std::get<ChildUpsertEvent>(body));
  }
  wire::Event legacy;
  legacy.set_child_id(event.child_id());
  WriteLegacy(body, legacy);
  return std::move(*legacy.mutable_payload());
}

void WriteLegacy(const EventBody& body, wire::Event& event) {
  json payload = std::visit(
      [&event](const auto& b) -> json {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ChildUpsertEvent>) {
          return ChildUpsertToJson(b, event.child_id());
        } else if constexpr (std::is_same_v<T, CardRevokeEvent>) {
          return TextsToJson<CardRevokeEvent>(b, kCardRevokeFields);
        } else if constexpr (std::is_same_v<T, Referral>) {
          return ReferralCreatePayload(b);
        } else if constexpr (std::is_same_v<T, ReferralStatusChange>) {
          return ReferralStatusPayload(b);
        } else if constexpr (std::is_same_v<T, IdentityDecisionEvent>) {
          return TextsToJson<IdentityDecisionEvent>(b, kIdentityDecisionFields);
        } else {
          static_assert(std::is_same_v<T, ChildEraseEvent>);
          return TextsToJson<ChildEraseEvent>(b, kChildEraseFields);
        }
      },
      body);
  event.clear_body();
  event.set_type(std::string(EventTypeName(body)));
  event.set_payload(payload.dump());
}

}  // namespace onecard
