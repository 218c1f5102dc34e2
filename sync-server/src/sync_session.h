// One terminal's connection to the sync service, from TLS handshake to close (the session state
// machine of protocol/docs/sync.md). Internal to the server library.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>

#include "connection_limits.h"
#include "onecard/server/sync_service.h"
#include "onecard/server/sync_store.h"
#include "store_executor.h"

namespace onecard::server {

// Shared by all sessions of a service; updated from several worker threads.
struct SyncServiceCounters {
  std::atomic<uint64_t> accepted{0}, active{0}, handshake_failed{0}, refused{0}, bad_frames{0},
      timed_out{0}, completed{0}, events_ingested{0}, events_refused{0}, over_limit{0};
};

// What every session needs from its service; outlives all sessions.
struct SessionEnvironment {
  StoreExecutor& store;  // every store call goes through it, off the I/O threads
  const SyncServiceOptions& options;
  boost::asio::ssl::context& tls;
  SyncServiceCounters& counters;
  ConnectionLimits& limits;
};

// Runs one session on `socket` (whose executor must be a strand: the session's deadline timer
// and its I/O are serialized through it) until the terminal closes, a deadline passes, a
// protocol error occurs or the service stops. Never throws for anything the peer does.
boost::asio::awaitable<void> RunSyncSession(const SessionEnvironment& env,
                                            boost::asio::ip::tcp::socket socket);

}  // namespace onecard::server
