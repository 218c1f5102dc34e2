#include "desk_sync.h"

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_sync_store.h"

namespace onecard::desk {

using nlohmann::json;
using terminal::StaffAction;
using terminal::TerminalStore;

DeskSync::DeskSync(SignedInStore& store, std::shared_ptr<http::EventChannel> events,
                   const platform::Clock& clock, std::chrono::seconds every)
    : store_(store), events_(std::move(events)), clock_(clock), every_(every) {}

DeskSync::~DeskSync() { Stop(); }

void DeskSync::Start() {
  if (every_.count() <= 0) return;
  std::lock_guard lock(mu_);
  stopping_ = false;
  thread_ = std::thread([this] { AutoLoop(); });
}

void DeskSync::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeskSync::AutoLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (wake_.wait_for(lock, every_, [this] { return stopping_; })) break;
    lock.unlock();
    // Only while someone is signed in; a run the page started meanwhile is left to finish.
    if (store_.Current()) (void)Run(/*asked=*/false);
    lock.lock();
  }
}

Status DeskSync::SyncOnce(bool asked, uint64_t& pushed, uint64_t& pulled) {
  auto sync = [&](TerminalStore& store) -> Status {
    ASSIGN_OR_RETURN(terminal::SyncEndpoint endpoint, store.enrolment().LoadSyncEndpoint(""));
    terminal::SyncOptions options;
    options.attempts = 1;
    options.connect_timeout = kConnectTimeout;
    options.io_timeout = kIoTimeout;
    terminal::TerminalSyncStore local(store);
    Result<terminal::SyncReport> report = terminal::RunSync(endpoint, local, options);
    WipeString(endpoint.key_pem);
    if (!report.ok()) return report.status();
    pushed = report->pushed;
    pulled = report->pulled;
    return store.audit().RecordSync(report->pushed, report->pulled);
  };
  return asked ? store_.With(StaffAction::kSync, sync)
               : store_.WithInBackground(StaffAction::kSync, sync);
}

Result<json> DeskSync::RunNow() { return Run(/*asked=*/true); }

Result<json> DeskSync::Run(bool asked) {
  if (!store_.Current()) {
    return Status(ErrorCode::kUnauthenticated, Tr("登记台已锁定", "the desk is locked"));
  }
  {
    std::lock_guard lock(mu_);
    if (record_.running) {
      return Status(ErrorCode::kFailedPrecondition,
                    Tr("正在同步，请稍候", "a sync is running; wait for it"));
    }
    record_.running = true;
    record_.last_attempt_at = UtcNowIso8601(clock_);
  }
  Publish();
  uint64_t pushed = 0, pulled = 0;
  Status done = SyncOnce(asked, pushed, pulled);
  {
    std::lock_guard lock(mu_);
    record_.running = false;
    record_.last_pushed = pushed;
    record_.last_pulled = pulled;
    record_.last_error = done.ok() ? "" : done.message();
    if (done.ok()) record_.last_success_at = UtcNowIso8601(clock_);
  }
  Publish();
  // The report counts children; referrals and their answers come too, uncounted.
  if (done.ok()) events_->Publish("referrals", "{}");
  // A refusal to the member (locked, not allowed) is an answer to the page, not a sync failure.
  if (done.code() == ErrorCode::kUnauthenticated || done.code() == ErrorCode::kPermissionDenied)
    return done;
  return State();
}

json DeskSync::StateJson(const Record& record) {
  return {{"state", record.running ? "syncing" : "idle"},
          {"last_attempt_at", record.last_attempt_at},
          {"last_success_at", record.last_success_at},
          {"last_error", record.last_error},
          {"last_pushed", record.last_pushed},
          {"last_pulled", record.last_pulled},
          {"auto_every_seconds", every_.count()}};
}

json DeskSync::State() {
  Record record;
  {
    std::lock_guard lock(mu_);
    record = record_;
  }
  json out = StateJson(record);
  out["waiting"] = nullptr;
  if (record.running) return out;  // a run holds the store; the reads would wait for it
  Result<uint64_t> waiting = store_.WithInBackground(
      StaffAction::kSync, [](TerminalStore& store) { return store.outbox().Count(); });
  if (waiting.ok()) out["waiting"] = *waiting;
  if (record.last_success_at.empty()) {
    // No run of this desk yet: the last sync recorded in the store (by the command line, or this
    // desk's last session).
    Result<std::string> last = store_.WithInBackground(
        StaffAction::kSync, [](TerminalStore& store) { return store.audit().LastSyncAt(); });
    if (last.ok() && !last->empty()) {
      out["last_success_at"] = *last;
      std::lock_guard lock(mu_);  // kept, so that the `sync` events carry it too
      if (record_.last_success_at.empty()) record_.last_success_at = *last;
    }
  }
  return out;
}

void DeskSync::Publish() {
  Record record;
  {
    std::lock_guard lock(mu_);
    record = record_;
  }
  events_->Publish("sync", StateJson(record).dump());
}

}  // namespace onecard::desk
