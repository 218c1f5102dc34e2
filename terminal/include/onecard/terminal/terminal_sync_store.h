// The terminal store as sync sees it (sync_local_store.h): the outbox and the pull of an open
// TerminalStore behind the interface RunSync takes, so that neither knows the other.
#pragma once

#include "onecard/terminal/sync_local_store.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

class TerminalSyncStore : public SyncLocalStore {
 public:
  // `store` must outlive this adapter.
  explicit TerminalSyncStore(TerminalStore& store) : store_(store) {}

  Result<std::vector<wire::Event>> PendingEvents(size_t max, uint64_t after_seq = 0) override {
    return store_.outbox().Pending(max, after_seq);
  }
  Status Acknowledge(uint64_t acked_seq) override { return store_.outbox().Acknowledge(acked_seq); }
  Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused) override {
    return store_.outbox().SetAsideRefused(refused);
  }
  Result<uint64_t> PullCursor() override { return store_.pull().Cursor(); }
  Result<std::vector<PullSetAside>> ApplyPage(const wire::PullPage& page) override {
    return store_.pull().ApplyPage(page);
  }
  Result<std::vector<wire::AuditEntry>> PendingAudit(size_t max) override {
    return store_.audit().Pending(max);
  }
  Status AcknowledgeAudit(uint64_t held_id) override { return store_.audit().Acknowledge(held_id); }

 private:
  TerminalStore& store_;
};

}  // namespace onecard::terminal
