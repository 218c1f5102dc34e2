// What the server checks of a terminal's event before its store sees it (protocol/docs/sync.md,
// "Validation of events"): everything that needs no stored data. The store then checks what does
// (replays, who may change the child: server_ingest.cc).
//
// The sync service makes these checks on the session's I/O thread (StoreExecutor::Ingest): parsing
// and validating payloads is the largest CPU cost of ingest that does not need the store, and the
// one store thread only merges and writes (docs/performance.md, "Sync"). Pure code (the receiver's
// time is a parameter), thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "onecard/protocol/child_change.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/protocol/vaccination_status.h"
#include "sync.pb.h"

namespace onecard::server {

// Highest sequence number an event may carry: the store keeps seqs as SQLite integers.
inline constexpr uint64_t kMaxEventSeq = (uint64_t{1} << 63) - 1;

struct ParsedUpsert {
  Stamp stamp;         // the event's (hlc, terminal_id, seq), or the card record's for an import
  ChildChange change;  // fields, bases and dose changes (protocol/docs/merge.md), all validated
  // The fields a registration requires that the change does not set; none: it may create a child.
  std::vector<std::string> missing;
  // The vaccination status (vaccination_status.h) on `vaccination_on` of a child whose record is
  // this change alone (a new child: its birth date and the doses it adds), worked out here, before
  // the store's lock, since it is the costliest part of the statistics' profile. None when the
  // change gives no birth date or removes doses.
  std::optional<VaccinationOutlook> vaccination;
  CivilDate vaccination_on;
};

struct CheckedEvent {
  Status refusal;  // Ok, or why the event is refused (kInvalidArgument or kPermissionDenied)
  std::optional<ParsedUpsert> upsert;  // for an accepted "child.upsert" event
  // For the other types: the change, read once from whichever wire form came (sync_event.h), or
  // why it does not read (`body_refusal`). The store answers that only after its replay check, as
  // it did when it parsed these payloads itself: a settled seq gets its first answer again.
  std::optional<EventBody> body;
  Status body_refusal;
  // What the events table keeps of an event that came typed: its legacy canonical JSON payload
  // (sync.md, "Typed events"). Empty for an event that came in the legacy form, whose own payload
  // is kept.
  std::string stored_payload;
};

// Checks one event pushed by `terminal_id` (the CN of the session's certificate) and received
// when the receiver's clock read `now_ms` (Unix milliseconds):
//   - the event is the terminal's own, carries exactly one form (a typed body, or a type and
//     payload) of a known type, with seq in 1..kMaxEventSeq and an HLC that is not zero and not
//     more than kMaxClockAheadMs ahead of `now_ms`;
//   - its change reads (sync_event.h ReadEventBody: a legacy payload is canonical JSON, protocol
//     ParseJson: bounded depth, no duplicate keys; a child.upsert's child_id is the event's);
//   - a "child.upsert": every field and dose is valid alone (ValidateReceivedFields, with the
//     0–17 age rule on the day the event was made in China) and a carried card stamp is not newer
//     than the event.
// Other event types' values are checked by the store, which needs stored data for them.
CheckedEvent CheckEvent(const wire::Event& event, const std::string& terminal_id, uint64_t now_ms);

// CheckEvent for each event of one push, in order.
std::vector<CheckedEvent> CheckEvents(const std::vector<wire::Event>& events,
                                      const std::string& terminal_id, uint64_t now_ms);

}  // namespace onecard::server
