#include "store_executor.h"

#include <unordered_set>

#include "onecard/protocol/hybrid_clock.h"

namespace onecard::server {

void StoreExecutor::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void StoreExecutor::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StoreExecutor::Ingest(std::shared_ptr<IngestBatch> batch,
                           std::function<void(Result<uint64_t>)> done) {
  // On the caller's thread, not the store's.
  batch->checked =
      CheckEvents(batch->events, batch->terminal_id, HybridClock::PhysicalNowMs(clock_));
  {
    std::lock_guard lock(mu_);
    ingests_.push_back(PendingIngest{std::move(batch), std::move(done)});
  }
  wake_.notify_one();
}

void StoreExecutor::Post(std::function<void(SyncStore&)> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

// The oldest waiting push of each terminal, in queue order; the others stay queued. A terminal's
// next push (pipelined, kPushWindow) then waits for the next group, which starts as soon as this
// one is committed, instead of joining this one: the store thread is never idle while the
// acknowledgements of a group travel back and the terminals send more.
std::vector<StoreExecutor::PendingIngest> StoreExecutor::TakeOnePerTerminal(
    std::vector<PendingIngest>& queue) {
  std::vector<PendingIngest> taken, left;
  std::unordered_set<std::string> terminals;
  for (PendingIngest& p : queue) {
    if (terminals.insert(p.batch->terminal_id).second) {
      taken.push_back(std::move(p));
    } else {
      left.push_back(std::move(p));
    }
  }
  queue.swap(left);
  return taken;
}

void StoreExecutor::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !ingests_.empty() || !jobs_.empty(); });
    if (ingests_.empty() && jobs_.empty()) return;  // stopping, and everything queued is done
    std::vector<PendingIngest> ingests = TakeOnePerTerminal(ingests_);
    std::vector<std::function<void(SyncStore&)>> jobs;
    jobs.swap(jobs_);
    lock.unlock();
    if (!ingests.empty()) {
      // Everything that queued up during the previous commit goes into this one.
      std::vector<IngestBatch> batches;
      batches.reserve(ingests.size());
      for (PendingIngest& p : ingests) batches.push_back(std::move(*p.batch));
      store_.IngestGroup(batches);
      for (size_t i = 0; i < ingests.size(); ++i) {
        // The events go back to their session, which frees them: freeing thousands of parsed
        // events here would keep the next group waiting.
        Result<uint64_t> acked = std::move(batches[i].acked);
        *ingests[i].batch = std::move(batches[i]);
        ingests[i].batch.reset();
        ingests[i].done(std::move(acked));
      }
    }
    for (auto& job : jobs) job(store_);
    lock.lock();
  }
}

}  // namespace onecard::server
