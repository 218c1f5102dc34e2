#include "onecard/terminal/sync_client.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <exception>
#include <thread>

#include "onecard/net/tls_client_context.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "sync_client_connection.h"

// GCC 12 reports -Wmismatched-new-delete for Asio's coroutine frames (awaitable_frame_base has
// matching class-specific new/delete; a known false positive, seen with the sanitizer build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace onecard::terminal {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr char kSoftware[] = "onecard-terminal/0.1";
constexpr std::chrono::milliseconds kMaxBackoff{8'000};

bool Retryable(const Status& status) {
  return status.code() == ErrorCode::kUnavailable || status.code() == ErrorCode::kDeadlineExceeded;
}

Status Unexpected(const char* expected) {
  return Status(ErrorCode::kInvalidArgument,
                Tr(std::string("服务器的回复不是 ") + expected,
                   std::string("the server did not reply with ") + expected));
}

// A page must not move the cursor back, and one that says another page is waiting must move it
// forward: asking again from the same cursor would bring the same page, for ever.
Status CursorMoves(const wire::PullPage& page, uint64_t cursor) {
  if (page.next_cursor() < cursor) {
    return Status(ErrorCode::kInternal,
                  Tr("服务器的拉取游标倒退了（从 " + std::to_string(cursor) + " 到 " +
                         std::to_string(page.next_cursor()) + "）",
                     "the server's pull cursor went back (from " + std::to_string(cursor) + " to " +
                         std::to_string(page.next_cursor()) + ")"));
  }
  if (page.more() && page.next_cursor() == cursor) {
    return Status(ErrorCode::kInternal,
                  Tr("服务器的拉取游标没有前进", "the server's pull cursor did not advance"));
  }
  return Status::Ok();
}

// One connection's worth of sync. Progress is kept in `store` (outbox, cursor) and `report`, so
// a later attempt continues where this one stopped.
class SyncAttempt {
 public:
  SyncAttempt(SyncConnection& connection, const SyncEndpoint& endpoint, SyncLocalStore& store,
              const SyncOptions& options, SyncReport& report)
      : connection_(connection),
        endpoint_(endpoint),
        store_(store),
        options_(options),
        report_(report) {}

  awaitable<Status> Run() {
    Status connected = co_await connection_.Connect(endpoint_.host, endpoint_.port);
    if (!connected.ok()) co_return connected;
    Status status = co_await Hello();
    if (status.ok()) status = co_await Push();
    if (status.ok() && report_.protocol_version >= kFirstVersionWithAuditPush) {
      status = co_await PushAudit();
    }
    if (status.ok()) status = co_await Pull();
    if (status.ok()) co_await connection_.Close();
    co_return status;
  }

 private:
  awaitable<Status> Hello() {
    wire::Envelope request;
    wire::Hello* hello = request.mutable_hello();
    hello->set_protocol_version(options_.max_protocol_version);
    hello->set_terminal_id(endpoint_.terminal_id);
    hello->set_software(kSoftware);
    Result<wire::Envelope> reply = co_await connection_.Exchange(request);
    if (!reply.ok()) co_return reply.status();
    if (!reply->has_hello_ack()) co_return Unexpected("HelloAck");
    const wire::HelloAck& ack = reply->hello_ack();
    if (ack.protocol_version() == 0 || ack.protocol_version() > options_.max_protocol_version) {
      co_return Status(ErrorCode::kFailedPrecondition,
                       Tr("服务器选择了不支持的协议版本 " + std::to_string(ack.protocol_version()),
                          "the server chose unsupported protocol version " +
                              std::to_string(ack.protocol_version())));
    }
    report_.protocol_version = ack.protocol_version();
    report_.site_id = ack.site_id();
    report_.area = ack.area();
    co_return Status::Ok();
  }

  // Pushes the whole outbox. With protocol version 2 up to kPushWindow requests are outstanding
  // (the server ingests one batch while the next one travels); with version 1, one at a time.
  awaitable<Status> Push() {
    const size_t window = report_.protocol_version >= 2 ? kPushWindow : 1;
    std::deque<std::vector<uint64_t>> in_flight;  // the seqs of each request sent, oldest first
    uint64_t last_sent = acked_;
    for (;;) {
      while (in_flight.size() < window) {
        Result<wire::Envelope> request = NextPushRequest(last_sent);
        if (!request.ok()) co_return request.status();
        if (request->push().events_size() == 0) break;
        Status sent = co_await connection_.Send(*request);
        if (!sent.ok()) co_return sent;
        std::vector<uint64_t> seqs;
        for (const wire::Event& e : request->push().events()) seqs.push_back(e.seq());
        last_sent = seqs.back();
        in_flight.push_back(std::move(seqs));
      }
      if (in_flight.empty()) co_return OutboxHoldsNothingAcknowledged();
      Result<wire::Envelope> reply = co_await connection_.Receive();
      if (!reply.ok()) co_return reply.status();
      if (!reply->has_push_ack()) co_return Unexpected("PushAck");
      const std::vector<uint64_t> seqs = std::move(in_flight.front());
      in_flight.pop_front();
      uint64_t acked = reply->push_ack().acked_seq();
      if (acked < seqs.front()) {
        // The server holds no gap-free prefix reaching this batch: events before its first seq
        // are missing there although this outbox no longer has them. Pushing again cannot help.
        co_return Status(
            ErrorCode::kFailedPrecondition,
            Tr("服务器缺少序号 " + std::to_string(seqs.front()) + " 之前的事件",
               "the server is missing events before seq " + std::to_string(seqs.front())));
      }
      Status settled = Settle(reply->push_ack(), seqs);
      if (!settled.ok()) co_return settled;
    }
  }

  // A PushAck for the request of `seqs`: the refused events are set aside (protocol version 3),
  // then the outbox drops what is settled.
  Status Settle(const wire::PushAck& ack, const std::vector<uint64_t>& seqs) {
    const uint64_t acked = ack.acked_seq();
    std::vector<wire::EventRefusal> refused(ack.refused().begin(), ack.refused().end());
    RETURN_IF_ERROR(store_.SetAsideRefused(refused));
    RETURN_IF_ERROR(store_.Acknowledge(acked));
    acked_ = std::max(acked_, acked);
    const auto settled = static_cast<uint64_t>(
        std::count_if(seqs.begin(), seqs.end(), [acked](uint64_t s) { return s <= acked; }));
    report_.pushed += settled - std::min<uint64_t>(settled, refused.size());
    report_.refused.insert(report_.refused.end(), refused.begin(), refused.end());
    return Status::Ok();
  }

  // After the last acknowledgement: an outbox that still holds acknowledged events is broken (it
  // would push them again at every sync); say so rather than go on.
  Status OutboxHoldsNothingAcknowledged() {
    Result<std::vector<wire::Event>> oldest = store_.PendingEvents(1);
    if (!oldest.ok()) return oldest.status();
    if (!oldest->empty() && oldest->front().seq() <= acked_) {
      return Status(ErrorCode::kInternal, Tr("本地发件箱没有删除已确认的事件",
                                             "the local outbox still holds acknowledged events"));
    }
    return Status::Ok();
  }

  // The next PushRequest: up to push_batch outbox events after `last_sent` (the events of the
  // requests still outstanding), fewer when they would not fit in one frame. No events: nothing
  // left to send.
  Result<wire::Envelope> NextPushRequest(uint64_t last_sent) {
    ASSIGN_OR_RETURN(std::vector<wire::Event> pending,
                     store_.PendingEvents(options_.push_batch, last_sent));
    wire::Envelope request;
    wire::PushRequest* push = request.mutable_push();
    for (wire::Event& event : pending) {
      // The outbox keeps the legacy form; version 3 sends the typed one (sync.md, "Typed events").
      // An event that does not convert goes as it is, and the server refuses it with the reason,
      // so that it is set aside rather than stopping every later sync.
      if (report_.protocol_version >= kFirstVersionWithTypedEvents) (void)ToTyped(event);
      *push->add_events() = std::move(event);
    }
    // Fewer events per request when they do not fit in one frame.
    while (EncodedBodySize(request) > options_.max_frame_bytes && push->events_size() > 1) {
      int keep = push->events_size() / 2;
      push->mutable_events()->DeleteSubrange(keep, push->events_size() - keep);
    }
    return request;
  }

  // Version 4: the audit entries after those the server acknowledged, audit_batch at a time (fewer
  // when they would not fit in a frame), each AuditPush answered by the id the server holds.
  awaitable<Status> PushAudit() {
    for (;;) {
      Result<std::vector<wire::AuditEntry>> pending = store_.PendingAudit(options_.audit_batch);
      if (!pending.ok()) co_return pending.status();
      if (pending->empty()) co_return Status::Ok();
      wire::Envelope request;
      wire::AuditPush* push = request.mutable_audit_push();
      for (wire::AuditEntry& entry : *pending) *push->add_entries() = std::move(entry);
      while (EncodedBodySize(request) > options_.max_frame_bytes && push->entries_size() > 1) {
        int keep = push->entries_size() / 2;
        push->mutable_entries()->DeleteSubrange(keep, push->entries_size() - keep);
      }
      const uint64_t last_sent = push->entries(push->entries_size() - 1).id();
      Result<wire::Envelope> reply = co_await connection_.Exchange(request);
      if (!reply.ok()) co_return reply.status();
      if (!reply->has_audit_ack()) co_return Unexpected("AuditAck");
      const uint64_t held = reply->audit_ack().held_id();
      // The server keeps every entry it receives, so it holds at least the last one sent; less
      // would have this loop send the same entries for ever.
      if (held < last_sent) {
        co_return Status(ErrorCode::kInternal,
                         Tr("服务器未保存审计记录 " + std::to_string(last_sent),
                            "the server did not keep audit entry " + std::to_string(last_sent)));
      }
      Status acknowledged = store_.AcknowledgeAudit(held);
      if (!acknowledged.ok()) co_return acknowledged;
      report_.audit_held = held;
    }
  }

  awaitable<Status> Pull() {
    for (;;) {
      Result<uint64_t> cursor = store_.PullCursor();
      if (!cursor.ok()) co_return cursor.status();
      wire::Envelope request;
      request.mutable_pull()->set_cursor(*cursor);
      request.mutable_pull()->set_max_items(options_.pull_page);
      Result<wire::Envelope> reply = co_await connection_.Exchange(request);
      if (!reply.ok()) co_return reply.status();
      if (!reply->has_pull_page()) co_return Unexpected("PullPage");
      const wire::PullPage& page = reply->pull_page();
      Status moving = CursorMoves(page, *cursor);
      if (!moving.ok()) co_return moving;
      if (page.children_size() > 0 || page.next_cursor() != *cursor) {
        Result<std::vector<PullSetAside>> set_aside = store_.ApplyPage(page);
        if (!set_aside.ok()) co_return set_aside.status();
        report_.pulled += static_cast<uint64_t>(page.children_size()) -
                          static_cast<uint64_t>(std::count_if(
                              set_aside->begin(), set_aside->end(),
                              [](const PullSetAside& s) { return s.kind == "child"; }));
        report_.set_aside.insert(report_.set_aside.end(), set_aside->begin(), set_aside->end());
      }
      if (!page.more()) co_return Status::Ok();
    }
  }

  SyncConnection& connection_;
  const SyncEndpoint& endpoint_;
  SyncLocalStore& store_;
  const SyncOptions& options_;
  SyncReport& report_;
  uint64_t acked_ = 0;  // highest acked_seq received in this attempt
};

Status RunAttempt(const SyncEndpoint& endpoint, asio::ssl::context& tls, SyncLocalStore& store,
                  const SyncOptions& options, SyncReport& report) {
  asio::io_context io(1);
  SyncConnection connection(io, tls, options);
  SyncAttempt attempt(connection, endpoint, store, options, report);
  Status result(ErrorCode::kInternal, "sync attempt did not finish");
  asio::co_spawn(io, attempt.Run(), [&result](std::exception_ptr error, Status status) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        result = Status(ErrorCode::kInternal, std::string("sync: ") + e.what());
      } catch (...) {
        result = Status(ErrorCode::kInternal, "sync: unknown exception");
      }
      return;
    }
    result = std::move(status);
  });
  io.run();
  return result;
}

}  // namespace

Result<SyncReport> RunSync(const SyncEndpoint& endpoint, SyncLocalStore& store,
                           const SyncOptions& options) {
  if (options.attempts < 1 || options.push_batch < 1 || options.audit_batch < 1 ||
      options.pull_page < 1 || options.max_frame_bytes < kFrameHeaderSize ||
      endpoint.terminal_id.empty() || options.max_protocol_version < 1 ||
      options.max_protocol_version > kSyncProtocolVersion) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("同步参数无效（尝试次数、批量大小、帧上限、协议版本或终端编号）",
                     "invalid sync options (attempts, batch sizes, frame limit, protocol version "
                     "or terminal id)"));
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<asio::ssl::context> tls,
      net::MakeClientTlsContext(endpoint.ca_cert_pem, endpoint.cert_pem, endpoint.key_pem));
  SyncReport report;
  Status last;
  std::chrono::milliseconds backoff = options.retry_backoff;
  for (int attempt = 0; attempt < options.attempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
    last = RunAttempt(endpoint, *tls, store, options, report);
    if (last.ok()) return report;
    if (!Retryable(last)) return last;
  }
  return last;
}

}  // namespace onecard::terminal
