// The guardian's copy (PRODUCT.md section 13: "A guardian may ask what is held about the child:
// everything, with who read it and when"; docs/data-protection.md section 5): everything this
// terminal's store holds about one child, gathered in one transaction together with the audit
// entry "child.export" that records the copy, so the copy and the record of having made it never
// disagree.
//
// What the store keeps as "history" (and so what the copy can show): not a log of old values. Each
// child is one merged state (child_state.h): per field the value shown with its stamp (when and at
// which terminal it was set), the concurrent values of an open conflict, and only the stamps of
// the earlier values that later edits replaced, not those values. Earlier values survive only in
// the changes still waiting for the server (the outbox) and in changes the server refused; both are
// in the copy. The audit log says who registered, changed, read, listed or carded the child when,
// with field names but no values; the copy gives its time, actor and action (and the names of the
// fields set), never the detail of another child.
//
// Thread-safety: as the unit of work (one thread at a time).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/referral.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/card_repository.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

// What the state keeps of one field of the record.
struct FieldHistory {
  std::string field;
  Stamp stamp;                  // of the value shown (when and where it was set)
  bool removed = false;         // the value shown is a removal (the field is not in the record)
  size_t concurrent = 0;        // further live values: an open conflict (see conflicts)
  std::vector<Stamp> replaced;  // stamps of earlier values an edit replaced; the values are gone
};

// A change of the child the store holds as an event: waiting in the outbox for the server, or set
// aside because the server refused it (then `refusal_*` say why and when).
struct HeldChange {
  uint64_t seq = 0;
  std::string type;  // event_types.h
  Stamp stamp;       // this terminal, seq, and the HLC of the change
  nlohmann::json payload;
  std::string refusal_code, refusal_message, refused_at;
};

// An audit entry about the child: its time, the staff member and the action. `subject` is false
// when the entry is about something else that named the child (a search or list whose results held
// it, an identity decision on another record with it). `fields`: the names of the fields a
// registration or change set.
struct ChildAccess {
  int64_t id = 0;
  std::string at, actor, action;
  bool subject = true;
  std::vector<std::string> fields;
};

// A card operation on the child at this terminal, from the audit log (card.issue, card.update,
// card.replace, card.revoke, card.read...): the serial it concerned.
struct CardEvent {
  std::string at, action, serial;
};

struct ChildCards {
  std::string current;  // the record's card_serial ("" when none)
  std::vector<CardEvent> events;
  std::string last_read_serial, last_read_at;  // the card proof kept here ("" when none)
  std::vector<CardRevocation> revoked;         // revoked serials of the child known here
};

struct ChildExport {
  std::string child_id;
  std::string terminal_id, exported_by, exported_at;  // who made the copy, where, when
  nlohmann::json record;                              // the public record: every field
  std::vector<FieldHistory> fields;                   // by field name
  std::vector<DoseEntry> doses;                       // live dose additions with their stamps
  std::vector<DoseTag> removed_doses;                 // dose additions later removed (values gone)
  std::vector<HeldChange> pending;                    // in the outbox, oldest first
  std::vector<HeldChange> refused;                    // refused by the server, oldest first
  std::vector<std::pair<std::string, std::string>> set_aside;  // (when, why) pulled versions
  nlohmann::json move;                                         // IdentityRepository::MoveOf
  std::vector<Referral> referrals;                             // newest first
  ChildCards cards;
  std::vector<FieldConflict> conflicts;
  std::vector<std::string> same_child_as;   // the other records of the child (server grouping)
  std::vector<std::string> in_review_with;  // records a supervisor here is to compare it with
  std::vector<ChildAccess> accesses;        // oldest first; the last one is this export

  // Canonical JSON: {"format": "onecard-child-export/1", "child_id", "exported": {at, by,
  // terminal_id}, "record", "history": {fields, immunizations, pending_changes, refused_changes,
  // set_aside}, "move", "referrals", "cards", "conflicts", "same_child_as", "identity_review",
  // "accesses"}; every part present (empty when the child has none).
  nlohmann::json ToJson() const;
};

class ExportRepository {
 public:
  explicit ExportRepository(UnitOfWork& unit) : unit_(unit) {}

  // Everything held about `child_id`, with the "child.export" audit entry, in one transaction.
  // kNotFound naming the child when it is unknown here; kPermissionDenied naming the erasure when
  // it was erased (nothing is held to copy). Nothing is written on an error.
  Result<ChildExport> Of(const std::string& child_id);

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
