// The conversions of sync_event.h: legacy form (type + canonical JSON payload) and typed form
// (Event.body) to and from EventBody. The per-type parts are in sync_event_legacy.cc and
// sync_event_typed.cc; this file dispatches and holds what both share.
#include "onecard/protocol/sync_event.h"

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "sync_event_forms.h"

namespace onecard {

// The registry and the variant list the types in one order (event_types.h).
static_assert(std::variant_size_v<EventBody> == event_type::kRegistry.size());
static_assert(std::is_same_v<std::variant_alternative_t<0, EventBody>, ChildUpsertEvent>);
static_assert(event_type::kRegistry[0].body_case == wire::Event::kChildUpsert);
static_assert(std::is_same_v<std::variant_alternative_t<1, EventBody>, CardRevokeEvent>);
static_assert(event_type::kRegistry[1].body_case == wire::Event::kCardRevoke);
static_assert(std::is_same_v<std::variant_alternative_t<2, EventBody>, Referral>);
static_assert(event_type::kRegistry[2].body_case == wire::Event::kReferralCreate);
static_assert(std::is_same_v<std::variant_alternative_t<3, EventBody>, ReferralStatusChange>);
static_assert(event_type::kRegistry[3].body_case == wire::Event::kReferralStatus);
static_assert(std::is_same_v<std::variant_alternative_t<4, EventBody>, IdentityDecisionEvent>);
static_assert(event_type::kRegistry[4].body_case == wire::Event::kIdentityDecision);
static_assert(std::is_same_v<std::variant_alternative_t<5, EventBody>, ChildEraseEvent>);
static_assert(event_type::kRegistry[5].body_case == wire::Event::kChildErase);

namespace sync_event_internal {

Status Malformed(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

std::string Quoted(const std::string& text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) return "\"" + text + "\"";
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return "\"" + text.substr(0, end) + "…\"";
}

}  // namespace sync_event_internal

std::string_view EventTypeName(const EventBody& body) {
  return event_type::kRegistry[body.index()].name;
}

Stamp EventStampOf(const wire::Event& event) {
  return Stamp{event.hlc(), event.terminal_id(), event.seq()};
}

std::string_view EventTypeOf(const wire::Event& event) {
  if (const event_type::TypeInfo* info = event_type::Find(event.body_case())) return info->name;
  return event.type();
}

Status CheckEventForm(const wire::Event& event) {
  const bool typed = event.body_case() != wire::Event::BODY_NOT_SET;
  const bool legacy = !event.type().empty() || !event.payload().empty();
  if (typed && legacy) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("事件同时带有类型化内容和旧格式的 type/payload，只能带其中一种",
                     "the event carries both a typed body and a legacy type/payload; it may "
                     "carry only one"));
  }
  if (!typed && !legacy) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("事件没有内容（既无类型化内容，也无 type/payload）",
                     "the event carries no change (neither a typed body nor a type/payload)"));
  }
  if (!typed && !event_type::IsKnown(event.type())) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("未知的事件类型 " + sync_event_internal::Quoted(event.type()),
                     "unknown event type " + sync_event_internal::Quoted(event.type())));
  }
  return Status::Ok();
}

Result<EventBody> ReadEventBody(const wire::Event& event) {
  RETURN_IF_ERROR(CheckEventForm(event));
  return event.body_case() != wire::Event::BODY_NOT_SET ? FromTyped(event) : FromLegacy(event);
}

Status ToTyped(wire::Event& event) {
  if (event.body_case() != wire::Event::BODY_NOT_SET && event.type().empty() &&
      event.payload().empty()) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(EventBody body, ReadEventBody(event));
  WriteTyped(body, event);
  return Status::Ok();
}

Status ToLegacy(wire::Event& event) {
  if (event.body_case() == wire::Event::BODY_NOT_SET) {
    if (event_type::IsKnown(event.type())) return Status::Ok();
    return FromLegacy(event).status();  // names what is wrong
  }
  ASSIGN_OR_RETURN(EventBody body, ReadEventBody(event));
  WriteLegacy(body, event);
  return Status::Ok();
}

}  // namespace onecard
