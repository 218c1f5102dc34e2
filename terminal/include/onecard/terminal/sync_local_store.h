// The terminal's outbox and pull state as sync sees them (protocol/docs/sync.md): the one seam
// between the sync client (sync_client.h) and a store. Implemented by TerminalSyncStore over the
// terminal store (terminal_sync_store.h) and by test fakes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/terminal/pull_set_aside.h"
#include "sync.pb.h"

namespace onecard::terminal {

// Called only from the thread running RunSync.
class SyncLocalStore {
 public:
  virtual ~SyncLocalStore() = default;
  // Up to `max` outbox events with seq > `after_seq`, oldest (lowest seq) first. (Pipelined push
  // asks for the events after those already sent and not yet acknowledged.)
  virtual Result<std::vector<wire::Event>> PendingEvents(size_t max, uint64_t after_seq = 0) = 0;
  // Drops outbox events with seq <= acked_seq (the server durably stored them).
  virtual Status Acknowledge(uint64_t acked_seq) = 0;
  // Protocol version 3: the server refused these events (PushAck.refused). They leave the outbox
  // and are kept aside with the server's reason; called before Acknowledge of the same reply.
  virtual Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused) = 0;
  // The cursor to pull from: 0 before the first pull, then the last applied page's next_cursor.
  virtual Result<uint64_t> PullCursor() = 0;
  // Applies the page's items and stores page.next_cursor in one transaction. An item that fails
  // the checks of a pull is not applied but set aside and returned; the rest of the page is
  // applied. An error (nothing applied, the cursor unchanged) is the store's own failure.
  virtual Result<std::vector<PullSetAside>> ApplyPage(const wire::PullPage& page) = 0;
  // Protocol version 4 (sync.md, "Audit chain"): up to `max` audit entries after the last one the
  // server acknowledged, oldest first; and the server's acknowledgement (AuditAck.held_id). A store
  // without an audit log (test fakes) has nothing to push.
  virtual Result<std::vector<wire::AuditEntry>> PendingAudit(size_t /*max*/) {
    return std::vector<wire::AuditEntry>{};
  }
  virtual Status AcknowledgeAudit(uint64_t /*held_id*/) { return Status::Ok(); }
};

}  // namespace onecard::terminal
