// The payload of a "child.upsert" event, parsed and checked before it reaches the store's lock.
//
// Parsing JSON is the largest CPU cost of ingest that does not need the store: the sync service
// does it on the session's I/O thread (StoreExecutor::Ingest), so that the one store thread only
// merges and writes (docs/performance.md, "Sync"). Pure code, thread-compatible.
#pragma once

#include <vector>

#include "onecard/protocol/child_change.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "sync.pb.h"

namespace onecard::server {

struct ParsedUpsert {
  Stamp stamp;         // the event's (hlc, terminal_id, seq), or the card record's for an import
  ChildChange change;  // fields, bases and dose changes (protocol/docs/merge.md)
};

// kInvalidArgument naming the event's seq when the payload is not a JSON object with "fields",
// its "child_id" differs from the event's, its "stamp" is malformed, or ChildChange::ReadFrom
// refuses it. Does not look at the event's type.
Result<ParsedUpsert> ParseUpsert(const wire::Event& event);

// One parse per event of `events`, in order: ParseUpsert for "child.upsert" events, a
// kFailedPrecondition placeholder (never read) for the others.
std::vector<Result<ParsedUpsert>> ParseUpserts(const std::vector<wire::Event>& events);

}  // namespace onecard::server
