#include "store_executor.h"

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

void StoreExecutor::Ingest(std::string terminal_id, std::vector<wire::Event> events,
                           std::function<void(Result<uint64_t>)> done) {
  {
    std::lock_guard lock(mu_);
    PendingIngest p;
    p.batch.terminal_id = std::move(terminal_id);
    p.batch.events = std::move(events);
    p.done = std::move(done);
    ingests_.push_back(std::move(p));
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

void StoreExecutor::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !ingests_.empty() || !jobs_.empty(); });
    if (ingests_.empty() && jobs_.empty()) return;  // stopping, and everything queued is done
    std::vector<PendingIngest> ingests;
    std::vector<std::function<void(SyncStore&)>> jobs;
    ingests.swap(ingests_);
    jobs.swap(jobs_);
    lock.unlock();
    if (!ingests.empty()) {
      // Everything that queued up during the previous commit goes into this one.
      std::vector<IngestBatch> batches;
      batches.reserve(ingests.size());
      for (PendingIngest& p : ingests) batches.push_back(std::move(p.batch));
      store_.IngestGroup(batches);
      for (size_t i = 0; i < ingests.size(); ++i) ingests[i].done(std::move(batches[i].acked));
    }
    for (auto& job : jobs) job(store_);
    lock.lock();
  }
}

}  // namespace onecard::server
