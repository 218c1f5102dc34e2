// The server's storage, as the sync service sees it. The embedded SQLCipher store implements it
// now; a PostgreSQL store will later. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/server/event_checks.h"
#include "onecard/server/terminal_audit.h"
#include "sync.pb.h"

namespace onecard::server {

struct TerminalInfo {
  std::string terminal_id;
  std::string site_id;
  std::string area;  // the site's 6-digit area code
  bool revoked = false;
};

// Whom a pull is for: the pulling terminal's site and that site's 6-digit area code.
struct PullScope {
  std::string site_id;
  std::string area;
};

// One terminal's PushRequest, as handed to SyncStore::IngestGroup.
struct IngestBatch {
  std::string terminal_id;
  std::vector<wire::Event> events;
  // CheckEvents(events, terminal_id, now), made before the store is called (the sync service does
  // it on the session's thread); IngestGroup checks the events itself when this is empty.
  std::vector<CheckedEvent> checked;
  // Protocol version 3 (sync.md, "Validation of events"): a refused event is recorded in `refused`
  // and the rest of the batch is stored. Otherwise (version 1 and 2) one refused event fails the
  // whole batch and nothing of it is stored.
  bool refuse_singly = false;
  // Set by IngestGroup: what Ingest(terminal_id, events) would have returned, and with
  // refuse_singly the refused events (each counts as settled in `acked`).
  Result<uint64_t> acked = Status(ErrorCode::kInternal, "not ingested");
  std::vector<wire::EventRefusal> refused;
};

class SyncStore {
 public:
  virtual ~SyncStore() = default;

  // kNotFound when the terminal was never enrolled.
  virtual Result<TerminalInfo> FindTerminal(const std::string& terminal_id) = 0;

  // Every revoked terminal's id (the CN of its certificate), in any order. The sync service
  // refuses these during the TLS handshake and reloads the list periodically, so it must reflect
  // revocations made by other processes sharing the store.
  virtual Result<std::vector<std::string>> RevokedTerminalIds() = 0;

  // Durably commits `events` from `terminal_id` and applies them to the children's merged states.
  // Idempotent: an event whose (terminal_id, seq) is already stored is ignored. Returns the highest
  // seq of this terminal settled (stored or refused) without a gap from 1 (what the terminal may
  // drop from its outbox). An event the server refuses (sync.md, "Validation of events": another
  // terminal's, malformed, invalid, or changing a child the terminal may not change) fails the
  // batch with its refusal (kInvalidArgument or kPermissionDenied) and nothing of it is stored.
  virtual Result<uint64_t> Ingest(const std::string& terminal_id,
                                  const std::vector<wire::Event>& events) = 0;

  // Group commit: ingests several terminals' batches, each with the contract of Ingest (each
  // succeeds or fails alone and sets its `acked`), but may make them durable with one commit.
  // Every `acked` is set only after that commit. The default calls Ingest for each batch.
  virtual void IngestGroup(std::vector<IngestBatch>& batches) {
    for (IngestBatch& b : batches) b.acked = Ingest(b.terminal_id, b.events);
  }

  // Protocol version 4 (sync.md, "Audit chain"): checks the terminal's pushed audit entries
  // against its chain as held, stores them as received and durably commits. A problem in the chain
  // is recorded (AuditReceipt::new_problem when it is the terminal's first), never an error: the
  // push still succeeds. Errors are the store's own. The default holds no chains.
  virtual Result<AuditReceipt> StoreTerminalAudit(const std::string& terminal_id,
                                                  const std::vector<wire::AuditEntry>& entries) {
    (void)terminal_id;
    (void)entries;
    return Status(ErrorCode::kFailedPrecondition, "this store keeps no audit chains");
  }

  // What changed after `cursor` that concerns the pulling site `scope`, oldest change first, at
  // most `max_items` items in all: children whose hukou or residence area is in the area's scope,
  // referrals that concern the site, sites, revocations (sync.md, "PullRequest / PullPage"). Sets
  // page.next_cursor and page.more.
  virtual Result<wire::PullPage> Pull(const PullScope& scope, uint64_t cursor,
                                      uint32_t max_items) = 0;

  // One short step of bringing derived data up to date in the background (the server's identity
  // grouping: docs/identity-server.md, "When it runs"). Returns true when more steps are needed.
  // The sync service calls it periodically, one call per turn of its store thread, so that ingest
  // and pulls wait for one step at most. The default has nothing to do.
  virtual Result<bool> RefreshInBackground() { return false; }
};

}  // namespace onecard::server
