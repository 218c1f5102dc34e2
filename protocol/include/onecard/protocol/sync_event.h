// The typed value of a sync event's change, and the one place where the event's two wire forms
// meet it (protocol/docs/sync.md, "Typed events"):
//   - the legacy form of versions 1 and 2: `Event.type` + `Event.payload` (canonical JSON), which
//     terminals' outboxes and the server's events table keep;
//   - the typed form of version 3: `Event.body`, one message per type (event_types.h).
// Code that reads a change's fields reads an EventBody, converted once from whichever form came.
//
// Conversions check shapes only (a JSON object, strings where strings belong, stamps and dose
// removals that read) plus what the protocol's own parsers already check on the way (referral
// fields: referral.h; a child change's bases and removals older than the event: child_change.h).
// The rules that judge values (registration rules, who may change what) stay with their callers.
// Pure functions, thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "onecard/protocol/child_change.h"
#include "onecard/protocol/referral.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "sync.pb.h"

namespace onecard {

// "child.upsert": a change of the event's child.
struct ChildUpsertEvent {
  ChildChange change;
  // A card import carries the card record's stamp; the change is then stamped by it, not by the
  // event (terminal/src/card_repository.cc, sync.md "Validation of events").
  std::optional<Stamp> carried_stamp;
};

// "card.revoke".
struct CardRevokeEvent {
  std::string serial;    // as sent; the server checks that it is 16 upper-case hex digits
  std::string child_id;  // "" when the revoking terminal did not know the child
  std::string reason;
};

// "identity.decision". Values as sent; the server judges them (server_identity_sync.cc).
struct IdentityDecisionEvent {
  std::string a;
  std::string b;
  std::string decision;  // merge | separate | unmerge
  std::string by;        // the deciding staff member
};

// "child.erase". Values as sent; the server judges them (erasure.h, server_erasure.cc).
struct ChildEraseEvent {
  std::string reason;  // ErasureReason name
  std::string by;      // the erasing supervisor
};

// One alternative per entry of event_type::kRegistry, in its order. A referral.create is the new
// referral (open, stamped by its event); a referral.status the change it asks for.
using EventBody = std::variant<ChildUpsertEvent, CardRevokeEvent, Referral, ReferralStatusChange,
                               IdentityDecisionEvent, ChildEraseEvent>;

// The registry's name of `body`'s type ("child.upsert", ...).
std::string_view EventTypeName(const EventBody& body);

// The type an event declares: its body's when typed, else Event.type (which may be unknown).
std::string_view EventTypeOf(const wire::Event& event);

// Ok when `event` carries exactly one form (a body, or a type/payload) and names a known type;
// else kInvalidArgument saying which. ReadEventBody checks this first.
Status CheckEventForm(const wire::Event& event);

// The stamp of the event itself: (hlc, terminal_id, seq).
Stamp EventStampOf(const wire::Event& event);

// Reads the legacy form (type + payload). kInvalidArgument, naming the type and what is wrong,
// for an unknown type, a payload that is not canonical JSON (ParseJson) or not an object, a
// child.upsert whose child_id is not the event's, a field of the wrong JSON type.
Result<EventBody> FromLegacy(const wire::Event& event);

// Reads the typed form (Event.body). kInvalidArgument for no body, for fields or doses that are
// not canonical JSON objects, stamps that do not read, referral fields referral.h refuses.
Result<EventBody> FromTyped(const wire::Event& event);

// Reads whichever form `event` carries. kInvalidArgument when it carries both (a body and a
// type or payload) or neither.
Result<EventBody> ReadEventBody(const wire::Event& event);

// Writes `body` as the typed form into `event` (clearing type and payload), or as the legacy form
// (clearing the body). Header fields (terminal_id, seq, hlc, child_id, card_proof) are untouched;
// the legacy child.upsert payload names `event.child_id()`.
void WriteTyped(const EventBody& body, wire::Event& event);
void WriteLegacy(const EventBody& body, wire::Event& event);

// The legacy payload of `event` (what WriteLegacy would set), with `body` = ReadEventBody(event).
// For a typed child.upsert the JSON bytes it carries (fields, added doses) are copied as they came,
// not parsed and written again: they are the terminal's canonical JSON, which ReadEventBody has
// parsed and found well formed; the rest is written as WriteLegacy writes it.
std::string LegacyPayloadText(const wire::Event& event, const EventBody& body);

// Converts `event` in place to the typed form (a version 3 push) or to the legacy form (what the
// stores keep). An event already in the wanted form is left as it is. Errors as ReadEventBody;
// `event` is unchanged then.
Status ToTyped(wire::Event& event);
Status ToLegacy(wire::Event& event);

}  // namespace onecard
