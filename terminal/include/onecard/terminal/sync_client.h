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
#include "sync.pb.h"

namespace onecard::terminal {

struct SyncEndpoint {
  std::string host;  // DNS name or IP literal; checked against the server
                     // certificate's subjectAltName
  uint16_t port = 0;
  std::string ca_cert_pem;  // only this CA is trusted (not the system's)
  std::string cert_pem;     // the terminal's certificate (CN = terminal id)
  std::string key_pem;      // the terminal's private key: a secret; RunSync keeps
                            // no copy of it beyond the TLS context's parsed key
  std::string terminal_id;
};

// A pulled item the terminal did not apply because it failed the checks of a pull (sync.md, "What
// a terminal checks of a pull"). The rest of its page is applied and the cursor moves past it.
struct PullSetAside {
  std::string kind;         // child | referral | site | revoked_card | revoked_terminal |
                            // identity_pair | person
  std::string id;           // the item's id as the server sent it (may itself be what is wrong)
  uint64_t change_seq = 0;  // the next_cursor of the page that carried it
  std::string message;      // why, one sentence for a person (Tr), naming the field
};

// The terminal's outbox and pull state, as sync sees them. Implemented by the terminal store and
// by test fakes. Called only from the thread running RunSync.
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
};

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
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;  // frames from the server above this: error
  // The highest protocol version offered in Hello (1..kSyncProtocolVersion): tests and a staged
  // roll-out speak an older version with a newer server.
  uint32_t max_protocol_version = kSyncProtocolVersion;
};

struct SyncReport {
  uint64_t pushed = 0;  // events the server acknowledged in this run (all attempts)
  uint64_t pulled = 0;  // child snapshots applied in this run
  std::string site_id;  // from HelloAck
  std::string area;
  uint32_t protocol_version = 0;            // negotiated
  std::vector<wire::EventRefusal> refused;  // events the server refused (set aside locally)
  std::vector<PullSetAside> set_aside;      // pulled items not applied (kept aside locally)
};

// Connects (TLS 1.3 only, mutual), Hello, pushes the whole outbox in batches (each acknowledged
// after the server's durable commit, then dropped locally), then pulls pages until `more` is
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
