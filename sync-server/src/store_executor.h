// The sync service's store calls run here, on one thread of their own, off the Asio I/O threads:
// a slow commit never stalls the TLS and framing work of other sessions. Pushes are batched:
// the oldest PushRequest of every terminal waiting when the thread becomes free is ingested with
// one durable commit (group commit, SyncStore::IngestGroup), and each gets its own
// acknowledgement; a terminal's pipelined second push goes into the next group.
// Internal to the server library.
//
// Thread-safety: Ingest and Post may be called from any thread. Start and Stop from one thread.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/server/sync_store.h"

namespace onecard::server {

class StoreExecutor {
 public:
  // `store` must outlive the executor.
  // `clock` is the receiver's clock against which events' stamps are checked (CheckEvents).
  explicit StoreExecutor(SyncStore& store, const platform::Clock& clock = platform::SystemClock())
      : store_(store), clock_(clock) {}
  ~StoreExecutor() { Stop(); }
  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;

  void Start();
  // Runs everything already queued to completion (callbacks included), then joins the thread.
  // Idempotent.
  void Stop();

  // Checks the events (CheckEvents) on the calling thread, then queues the push. `done`
  // is called on the store thread with Ingest's result, after the commit that made the events
  // durable. The store thread gives `batch` back intact before calling `done` and keeps no
  // reference to it: the caller's reference frees the events on the caller's thread.
  void Ingest(std::shared_ptr<IngestBatch> batch, std::function<void(Result<uint64_t>)> done);
  // Queues `job(store)` (e.g. a FindTerminal or a Pull), run on the store thread.
  void Post(std::function<void(SyncStore&)> job);

 private:
  struct PendingIngest {
    std::shared_ptr<IngestBatch> batch;
    std::function<void(Result<uint64_t>)> done;
  };
  static std::vector<PendingIngest> TakeOnePerTerminal(std::vector<PendingIngest>& queue);
  void Loop();

  SyncStore& store_;
  const platform::Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<PendingIngest> ingests_;
  std::vector<std::function<void(SyncStore&)>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

// For coroutines: suspends the caller, lets `submit(done)` hand the work to a StoreExecutor, and
// resumes the caller on its own executor (its strand) with the Result passed to `done`.
template <typename T, typename Submit>
boost::asio::awaitable<Result<T>> AwaitStore(Submit submit) {
  auto executor = co_await boost::asio::this_coro::executor;
  // A named initiation, not a temporary inside the co_await expression: GCC 12 may destroy such
  // temporaries twice, and this one holds a reference-counted executor.
  auto initiation = [executor, submit = std::move(submit)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    submit(std::function<void(Result<T>)>([executor, shared](Result<T> result) {
      boost::asio::post(executor, [shared, result = std::move(result)]() mutable {
        std::move (*shared)(std::move(result));
      });
    }));
  };
  Result<T> result =
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Result<T>)>(
          std::move(initiation), boost::asio::use_awaitable);
  co_return result;
}

}  // namespace onecard::server
