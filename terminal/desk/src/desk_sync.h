// The desk's sync with the server (as `onecard-terminal sync`): run when the page asks
// (POST /api/sync) and every `every` by a thread of its own while a staff member is signed in
// (nothing is sent while the desk is locked: the store is closed). Its state is kept for the sync
// bar and published as a `sync` event at the start and the end of each run; a run that succeeded
// also publishes `referrals`, so the page reloads its lists.
//
// A run holds the store (SignedInStore::With) for its length, so the reader's reads and the
// page's requests wait for it; the connection's deadlines are short for that reason
// (kConnectTimeout, kIoTimeout), and one try only: the next run is the retry.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "onecard/http/event_channel.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "signed_in_store.h"

namespace onecard::desk {

class DeskSync {
 public:
  static constexpr std::chrono::seconds kConnectTimeout{5};
  static constexpr std::chrono::seconds kIoTimeout{20};

  // `store`, `clock` must outlive this object. `every`: the automatic period; zero: none.
  DeskSync(SignedInStore& store, std::shared_ptr<http::EventChannel> events,
           const platform::Clock& clock, std::chrono::seconds every);
  ~DeskSync();  // Stop()
  DeskSync(const DeskSync&) = delete;
  DeskSync& operator=(const DeskSync&) = delete;

  void Start();  // the automatic runs, when `every` is not zero
  void Stop();   // waits for a run in progress

  // Runs a sync now and returns the state after it (a failed sync is in last_error, not an error
  // here). kFailedPrecondition when a run is in progress; kUnauthenticated when the desk is locked;
  // the member's refusal when they may not sync.
  Result<nlohmann::json> RunNow();
  // {state, last_attempt_at, last_success_at, last_error, last_pushed, last_pulled, waiting,
  //  auto_every_seconds}; waiting is read from the store (null when it is locked).
  nlohmann::json State();

 private:
  struct Record {
    bool running = false;
    std::string last_attempt_at, last_success_at, last_error;
    uint64_t last_pushed = 0, last_pulled = 0;
  };
  // A run; `asked`: by the page (counts as the member's activity), else automatic.
  Result<nlohmann::json> Run(bool asked);
  // The sync itself, as the signed-in member: pushes, pulls, audits the run.
  Status SyncOnce(bool asked, uint64_t& pushed, uint64_t& pulled);
  nlohmann::json StateJson(const Record& record);
  void Publish();
  void AutoLoop();

  SignedInStore& store_;
  std::shared_ptr<http::EventChannel> events_;
  const platform::Clock& clock_;
  const std::chrono::seconds every_;
  std::mutex mu_;
  std::condition_variable wake_;
  Record record_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace onecard::desk
