#pragma once
// Test and benchmark only: the embedded store's raw database, for tests that plant stored rows no
// terminal could send (old or damaged data) or inspect tables no interface shows, and for
// benchmarks that time the embedded SQL alone. Product code uses SyncStore, ReportStore and
// AdminStore; it must not include this header.

#include <utility>

#include "onecard/server/server_store.h"

namespace onecard::server {

class ServerStoreInternals {
 public:
  // `fn(db)` under the store's lock.
  template <typename Fn>
  static auto WithDatabase(ServerStore& store, Fn&& fn) {
    return store.WithDatabase(std::forward<Fn>(fn));
  }
};

}  // namespace onecard::server
