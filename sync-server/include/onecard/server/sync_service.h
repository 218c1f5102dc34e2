// The sync service: terminals connect over mutually authenticated TLS 1.3, say Hello, push their
// outbox and pull what concerns their area (protocol/docs/sync.md is the specification).
//
// Threading: Boost.Asio with C++20 coroutines on `threads` worker threads; each session runs on
// its own strand. Store calls do not run on those threads: they go to one store thread of the
// service, which ingests every PushRequest waiting at that moment with one durable commit (group
// commit, SyncStore::IngestGroup) and then acknowledges each; a slow commit never stalls I/O.
// SyncService itself is not thread-safe: call Start, Stop and the destructor from one thread.
// port() and stats() may be called from any thread once Start() returned.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "onecard/platform/clock.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/status.h"
#include "onecard/server/sync_store.h"

namespace onecard::server {

struct SyncServiceOptions {
  std::string host = "127.0.0.1";     // address to listen on (IPv4 or IPv6 literal)
  uint16_t port = 0;                  // 0: any free port (see SyncService::port())
  std::string ca_cert_pem, cert_pem;  // the server's CA and its own certificate
  std::string key_pem;                // the server's private key: wiped once loaded by Start()
  int threads = 2;
  std::chrono::milliseconds handshake_timeout{10'000};  // TCP accept to end of the TLS handshake
  std::chrono::milliseconds idle_timeout{30'000};       // no complete frame within this → drop;
                                                        // also the deadline of every write
  // How often the list of revoked terminals is reloaded from the store. A terminal revoked by
  // another process (`onecard-server revoke`) is refused during the TLS handshake from the first
  // reload after it; until then the check after Hello still refuses it.
  std::chrono::milliseconds revocation_refresh{1'000};
  // How often the store's derived data (the identity grouping) is brought up to date in the
  // background (SyncStore::RefreshInBackground, step by step between other store work), so that
  // review pairs and persons reach terminals without anyone asking for a report.
  std::chrono::milliseconds background_refresh{1'000};
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;  // frames over this close the session
  uint32_t max_pull_items = 500;                     // cap on PullRequest.max_items
  // Sessions open at once: per terminal (the next one after the handshake gets
  // Error{resource_exhausted} and is closed), and in all (further TCP connections are closed at
  // once; each session is a descriptor and some memory, docs/performance.md).
  uint32_t max_connections_per_terminal = 4;
  uint32_t max_connections = 4096;
  // Optional: one line per notable session event (refusals, bad frames, timeouts). Called from
  // worker threads, possibly concurrently. Never given secrets or personal data: only terminal ids,
  // peer addresses and error texts.
  std::function<void(std::string_view line)> log;
  // The server's time: judging pushed stamps and telling terminals the time. Must outlive the
  // service.
  const platform::Clock* clock = &platform::SystemClock();
};

// Counters since Start(), for tests and monitoring.
struct SyncServiceStats {
  uint64_t accepted = 0;          // TCP connections accepted
  uint64_t active = 0;            // sessions currently open
  uint64_t handshake_failed = 0;  // TLS handshake failed or timed out (no/foreign cert, TLS 1.2...)
  uint64_t refused = 0;     // refused terminals: revoked (during the handshake or after Hello),
                            // unknown, or CN not matching Hello
  uint64_t bad_frames = 0;  // garbage, zero-length, oversize or unexpected frames
  uint64_t timed_out = 0;   // dropped for idleness after the handshake
  uint64_t completed = 0;   // sessions that ended with the terminal closing cleanly
  uint64_t events_ingested = 0;  // events in PushRequests the store accepted
  uint64_t events_refused = 0;   // events refused one by one (protocol version 3)
  uint64_t over_limit = 0;       // refused by max_connections or max_connections_per_terminal
};

class SyncService {
 public:
  // `store` must outlive the service.
  SyncService(SyncServiceOptions options, SyncStore& store);
  ~SyncService();  // Stop()s
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  // Loads the TLS credentials and the revoked terminals, binds and listens, starts the worker
  // threads; returns when connections are being accepted. Errors: kInvalidArgument (bad
  // certificate or key, key not matching the certificate, bad host), kUnavailable (cannot bind),
  // the store's error when the revoked terminals cannot be read, kFailedPrecondition (started
  // twice). Also raises the process's open-file soft limit to its hard limit (one descriptor per
  // terminal connection).
  Status Start();
  // The port being listened on (the chosen one when options.port was 0); 0 before Start().
  uint16_t port() const;
  // Stops accepting, closes every session (a store call in progress finishes first; its reply is
  // not sent, and the terminal re-sends: pushes are idempotent) and joins the worker threads.
  // Idempotent.
  void Stop();

  SyncServiceStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onecard::server
