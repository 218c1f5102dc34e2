// The server's check of a terminal's pushed audit chain (sync.md, "Audit chain"): pure, no I/O.
// The store (terminal_audit_store.h) keeps the head and the entries; this decides, entry by entry,
// whether the chain goes on intact and what the first problem is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/audit_chain.h"
#include "onecard/server/terminal_audit.h"
#include "sync.pb.h"

namespace onecard::server {

// Where a terminal's chain stands at the server: its last entry's id and hash as received.
struct AuditChainHead {
  int64_t last_id = 0;
  std::string last_hash = kAuditGenesisHash;
};

struct AuditEntryVerdict {
  bool store = true;     // false: an identical copy is held already (a resend)
  AuditProblem problem;  // kNone when the entry is fine
};

// Judges one received entry; `held` are the copies of its id the server holds, the first received
// first (usually none). An entry after `head` must be the next one (else a gap: entries
// missing), follow head.last_hash and match its own hash; `head` then moves to it, whatever was
// wrong, so that the entries after a bad one are judged against what the terminal sent. An entry
// at or before head.last_id is a resend: fine when identical to the first copy held, else
// rewritten (or, when none is held, an entry that fills a gap: checked against its own prev_hash
// only). An entry identical to a copy held is not stored again.
AuditEntryVerdict CheckAuditEntry(AuditChainHead& head, const wire::AuditEntry& entry,
                                  const std::vector<wire::AuditEntry>& held);

// The entry's fields as the chain hashes them.
AuditChainEntry ChainEntryOf(const wire::AuditEntry& entry);

}  // namespace onecard::server
