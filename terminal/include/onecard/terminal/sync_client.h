// The terminal's side of sync (protocol/docs/sync.md): connect to the server over mutually
// authenticated TLS 1.3, say Hello, push the whole outbox, pull the pages that concern the site.
//
// RunSync is synchronous: it runs its own private event loop on the calling thread and returns
// when the sync finished or failed. Several RunSync calls may run at once on different threads
// (with different stores). Nothing personal and no key is logged or placed on a command line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/frame.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/pull_set_aside.h"
#include "onecard/terminal/sync_endpoint.h"
#include "onecard/terminal/sync_local_store.h"
#include "sync.pb.h"

namespace onecard::terminal {

struct SyncOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // DNS + TCP connect, and the TLS handshake
  std::chrono::milliseconds io_timeout{30'000};       // writing a request; reading a reply
  int attempts = 3;  // tries in all; retries only on kUnavailable/kDeadlineExceeded
  std::chrono::milliseconds retry_backoff{500};  // before the 2nd try; doubles each try, max 8 s
  // Events per PushRequest (fewer when they exceed a frame). Larger batches amortise the server's
  // per-request work (a group-commit round, an ack) over more events; 2,000 events of ~700 bytes
  // are ~1.4 MiB, within the 4 MiB frame (docs/performance.md, "Sync").
  size_t push_batch = 2'000;
  uint32_t pull_page = 500;  // PullRequest.max_items (the server may cap it)
  // Audit entries per AuditPush (fewer when they exceed a frame); protocol version 4.
  size_t audit_batch = 1'000;
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;  // frames from the server above this: error
  // The highest protocol version offered in Hello (1..kSyncProtocolVersion): tests and a staged
  // roll-out speak an older version with a newer server.
  uint32_t max_protocol_version = kSyncProtocolVersion;
};

struct SyncReport {
  uint64_t pushed = 0;      // events the server acknowledged in this run (all attempts)
  uint64_t pulled = 0;      // child snapshots applied in this run
  uint64_t audit_held = 0;  // the last audit entry id the server holds (version 4; else 0)
  std::string site_id;      // from HelloAck
  std::string area;
  uint32_t protocol_version = 0;            // negotiated
  std::vector<wire::EventRefusal> refused;  // events the server refused (set aside locally)
  std::vector<PullSetAside> set_aside;      // pulled items not applied (kept aside locally)
};

// Connects (TLS 1.3 only, mutual), Hello, pushes the whole outbox in batches (each acknowledged
// after the server's durable commit, then dropped locally), from version 4 the audit entries the
// server does not hold yet (sync.md, "Audit chain"), then pulls pages until `more` is
// false. A cut at any point loses nothing: unacknowledged events are pushed again (the server
// ignores duplicates) and the cursor only advances with an applied page. A pulled item that fails
// the terminal's checks is set aside (SyncReport::set_aside), never a failed sync; a page that says
// `more` without moving the cursor forward ends the pull with kInternal (it would repeat forever).
// Errors: kUnauthenticated (TLS: server not trusted, name mismatch, our certificate refused),
// kPermissionDenied (terminal unknown or revoked), kUnavailable / kDeadlineExceeded after the last
// attempt, kInvalidArgument (bad endpoint or options, or the server rejected a request),
// errors of the local store as they are.
Result<SyncReport> RunSync(const SyncEndpoint& endpoint, SyncLocalStore& store,
                           const SyncOptions& options = {});

}  // namespace onecard::terminal
