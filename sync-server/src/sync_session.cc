#include "sync_session.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "onecard/net/asio_status.h"
#include "onecard/net/deadline.h"
#include "onecard/net/framed_stream.h"
#include "onecard/net/tls_server_context.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/pki.h"

// GCC 12 reports -Wmismatched-new-delete for Asio's coroutine frames (awaitable_frame_base has
// matching class-specific new/delete; a known false positive, seen with the sanitizer build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace onecard::server {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::awaitable;
using asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// How long a closing session waits for the peer's close_notify or FIN.
constexpr std::chrono::milliseconds kCloseGrace{2'000};
// A read buffer that grew for a large frame is released afterwards, so that a thousand idle
// sessions do not each keep a frame-sized buffer.
constexpr size_t kKeptBufferBytes = 64 * 1024;

Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what,
                      bool deadline_expired = false) {
  return net::StatusFromAsio(ec, what, net::Side::kServer, deadline_expired);
}

using PushRequestEvents = std::vector<wire::Event>;

struct ReadOutcome {
  enum Kind { kFrame, kClosed, kTimedOut, kBad, kLost } kind = kLost;
  wire::Envelope envelope;
  Status status;  // why, for everything but kFrame and kClosed
};

class SyncSession : public std::enable_shared_from_this<SyncSession> {
 public:
  SyncSession(const SessionEnvironment& env, tcp::socket socket)
      : env_(env),
        stream_(std::move(socket), env.tls),
        deadline_(stream_.get_executor(), [this] { CloseSocket(); }),
        ack_deadline_(stream_.get_executor(), [this] { CloseSocket(); }),
        progress_(stream_.get_executor()) {
    boost::system::error_code ec;
    tcp::endpoint remote = stream_.lowest_layer().remote_endpoint(ec);
    peer_ =
        ec ? std::string("?") : remote.address().to_string() + ":" + std::to_string(remote.port());
  }

  awaitable<void> Run() {
    struct ActiveGuard {
      std::atomic<uint64_t>& active;
      explicit ActiveGuard(std::atomic<uint64_t>& a) : active(a) { ++active; }
      ~ActiveGuard() { --active; }
    } guard(env_.counters.active);

    if (!co_await Handshake()) co_return;
    if (!co_await AdmitTerminal()) co_return;
    ReadOutcome hello = co_await ReadEnvelope();
    if (hello.kind != ReadOutcome::kFrame) {
      co_await EndAfterReadFailure(hello);
      co_return;
    }
    if (!co_await Welcome(hello.envelope)) co_return;
    co_await ServeRequests();
  }

 private:
  // --- the session's steps ---------------------------------------------------------------------
  // The TLS handshake, within the handshake timeout. False when it failed: the failure is counted
  // and logged, and the connection closed.
  awaitable<bool> Handshake() {
    deadline_.Arm(env_.options.handshake_timeout);
    auto [hs_ec] = co_await stream_.async_handshake(ssl::stream_base::server, kAwait);
    if (!hs_ec && !DeadlineExpired()) co_return true;
    // A revoked terminal's certificate failed verification (net/tls_server_context.h): the alert
    // certificate_revoked is already sent; it counts and is logged as a refusal.
    std::string revoked =
        DeadlineExpired() ? std::string() : net::RevokedPeerTerminal(stream_.native_handle());
    if (!revoked.empty()) {
      ++env_.counters.refused;
      terminal_id_ = revoked;
      Log(Tr("终端 " + revoked + " 已被吊销（TLS 握手时拒绝）",
             "terminal " + revoked + " is revoked (refused during the TLS handshake)"));
    } else {
      ++env_.counters.handshake_failed;
      Log(StatusFromAsio(hs_ec, "TLS handshake", DeadlineExpired()).message());
    }
    co_await DrainAndClose();
    co_return false;
  }

  // Takes the terminal id from the certificate and one of the terminal's connection slots. False
  // when the session was refused (no common name, or the terminal is at its connection limit).
  awaitable<bool> AdmitTerminal() {
    Result<std::string> cn = PeerCommonName();
    if (!cn.ok()) {
      ++env_.counters.refused;
      co_await Refuse(Status(ErrorCode::kPermissionDenied, cn.status().message()));
      co_return false;
    }
    terminal_id_ = *cn;
    slot_ = env_.limits.TryAcquire(terminal_id_);
    if (slot_.held()) co_return true;
    ++env_.counters.over_limit;
    const std::string limit = std::to_string(env_.options.max_connections_per_terminal);
    co_await Refuse(
        Status(ErrorCode::kResourceExhausted,
               Tr("终端 " + terminal_id_ + " 已有 " + limit + " 个连接（上限），请稍后再试",
                  "terminal " + terminal_id_ + " already has " + limit +
                      " connections open (the limit); try again later")));
    co_return false;
  }

  // After HelloAck: reads and answers requests until the session ends.
  awaitable<void> ServeRequests() {
    for (;;) {
      ReadOutcome request = co_await ReadEnvelope();
      if (request.kind == ReadOutcome::kFrame && request.envelope.has_push()) {
        // Pipelined push (sync.md): the next request is read while the batch is ingested, unless
        // kPushWindow pushes are already waiting.
        StartPush(request.envelope);
        while (pushes_in_flight_ >= kPushWindow && !ack_failed_) co_await WaitForProgress();
        if (ack_failed_) co_return;
        continue;
      }
      // Anything else is answered after every acknowledgement already due, so replies keep the
      // order of the requests, and no other write runs at the same time as this one.
      while (pushes_in_flight_ > 0) co_await WaitForProgress();
      if (request.kind != ReadOutcome::kFrame) {
        co_await EndAfterReadFailure(request);
        co_return;
      }
      if (ack_failed_) co_return;
      wire::Envelope reply;
      switch (request.envelope.body_case()) {
        case wire::Envelope::kPull:
          reply = co_await HandlePull(request.envelope.pull());
          break;
        case wire::Envelope::kAuditPush:
          if (version_ >= kFirstVersionWithAuditPush) {
            reply = co_await HandleAuditPush(request.envelope.audit_push());
            break;
          }
          [[fallthrough]];  // not in this session's version
        default:
          ++env_.counters.bad_frames;
          co_await Refuse(Status(ErrorCode::kInvalidArgument,
                                 Tr("会话中出现意外的消息", "unexpected message in the session")));
          co_return;
      }
      Status written = co_await WriteEnvelope(reply);
      if (!written.ok()) {
        if (written.code() == ErrorCode::kDeadlineExceeded) ++env_.counters.timed_out;
        Log(written.message());
        co_return;
      }
    }
  }

  // Moves the push's events into a batch for the store and returns at once: the batch's
  // acknowledgement is written by PushThenAck when the commit is done. Counts in
  // pushes_in_flight_ until then.
  void StartPush(wire::Envelope& envelope) {
    ++pushes_in_flight_;
    PushRequestEvents events(
        std::make_move_iterator(envelope.mutable_push()->mutable_events()->begin()),
        std::make_move_iterator(envelope.mutable_push()->mutable_events()->end()));
    asio::co_spawn(stream_.get_executor(), PushThenAck(shared_from_this(), std::move(events)),
                   asio::detached);
  }

  // --- deadlines -------------------------------------------------------------------------------
  // A deadline that passes closes the socket, which ends the pending read or write with an error
  // that the session reports as kDeadlineExceeded (net/deadline.h). A session has two:
  // `deadline_` for reads and the sequential writes, `ack_deadline_` for acknowledgements, which
  // may be written while a read is pending (pipelined push). Either one ends the whole session.
  bool DeadlineExpired() const { return deadline_.expired() || ack_deadline_.expired(); }
  void CloseSocket() {
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }

  // --- waiting for acknowledgements (all on the session's strand) ------------------------------
  // The reading loop waits here until PushThenAck wrote an acknowledgement or failed.
  awaitable<void> WaitForProgress() {
    progress_.expires_at(asio::steady_timer::time_point::max());
    co_await progress_.async_wait(kAwait);  // woken by SignalProgress (cancel)
  }
  void SignalProgress() { progress_.cancel(); }

  // --- framed I/O ------------------------------------------------------------------------------
  awaitable<ReadOutcome> ReadEnvelope() {
    // A terminal waiting for an acknowledgement is not idle: the idle deadline starts when the
    // last acknowledgement due has been written (PushThenAck).
    reading_ = true;
    struct NotReading {
      bool& reading;
      ~NotReading() { reading = false; }
    } not_reading{reading_};
    if (pushes_in_flight_ == 0) deadline_.Arm(env_.options.idle_timeout);
    net::FrameRead read = co_await net::ReadFrame(stream_, buffer_, env_.options.max_frame_bytes);
    if (read.kind == net::FrameRead::Kind::kEnded) co_return EndedOutcome(read);
    deadline_.Disarm();
    if (buffer_.capacity() > kKeptBufferBytes) Bytes().swap(buffer_);
    ReadOutcome out;
    if (read.kind == net::FrameRead::Kind::kRefused) {
      out.kind = ReadOutcome::kBad;
      out.status = std::move(read.refusal);
      co_return out;
    }
    out.kind = ReadOutcome::kFrame;
    out.envelope = std::move(read.envelope);
    co_return out;
  }

  // A read that ended before its frame was whole: the deadline passed; the terminal closed between
  // frames (the normal end); the connection was lost within a header; or it ended within a body,
  // which is a truncated frame.
  ReadOutcome EndedOutcome(const net::FrameRead& read) const {
    ReadOutcome out;
    if (DeadlineExpired()) {
      out.kind = ReadOutcome::kTimedOut;
      out.status = StatusFromAsio(read.error, "read", true);
    } else if (read.EndedInBody()) {
      out.kind = ReadOutcome::kBad;
      out.status =
          Status(ErrorCode::kInvalidArgument,
                 Tr("帧不完整，连接已中断", "truncated frame: the connection ended mid-frame"));
    } else {
      bool clean = read.EndedBetweenFrames() &&
                   (read.error == asio::error::eof || read.error == ssl::error::stream_truncated);
      out.kind = clean ? ReadOutcome::kClosed : ReadOutcome::kLost;
      out.status = StatusFromAsio(read.error, "read");
    }
    return out;
  }

  awaitable<Status> WriteEnvelope(const wire::Envelope& envelope) {
    deadline_.Arm(env_.options.idle_timeout);
    boost::system::error_code ec = co_await net::WriteFrame(stream_, envelope);
    deadline_.Disarm();
    co_return StatusFromAsio(ec, "write", DeadlineExpired());
  }

  // --- ending a session ------------------------------------------------------------------------
  awaitable<void> EndAfterReadFailure(const ReadOutcome& outcome) {
    switch (outcome.kind) {
      case ReadOutcome::kClosed:
        ++env_.counters.completed;
        co_await CloseTls();
        break;
      case ReadOutcome::kTimedOut:
        ++env_.counters.timed_out;
        Log(Tr("空闲超时，断开连接", "idle timeout, connection dropped"));
        break;
      case ReadOutcome::kBad:
        ++env_.counters.bad_frames;
        co_await Refuse(outcome.status);
        break;
      case ReadOutcome::kLost:
      case ReadOutcome::kFrame:
        Log(outcome.status.message());
        break;
    }
  }

  // Sends an Error (best effort) and closes the session: half-close right after the Error frame
  // (the peer has no reason to answer a close_notify), then the drain of DrainAndClose.
  awaitable<void> Refuse(const Status& status) {
    Log(status.message());
    if (stream_.lowest_layer().is_open()) {
      Status written = co_await WriteEnvelope(ErrorEnvelope(status));
      if (written.ok()) co_await DrainAndClose();
    }
  }

  // Sends close_notify and waits briefly for the peer's, then closes the socket.
  awaitable<void> CloseTls() {
    deadline_.Arm(std::min(kCloseGrace, env_.options.idle_timeout));
    co_await stream_.async_shutdown(kAwait);
    deadline_.Disarm();
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }

  // After a failed handshake or a refusal: half-close and read until the peer closes (bounded),
  // so that the TLS alert or Error frame already sent is not destroyed by a TCP reset caused by
  // unread data.
  awaitable<void> DrainAndClose() {
    tcp::socket& socket = stream_.next_layer();
    if (!socket.is_open()) co_return;
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    deadline_.Arm(std::min(kCloseGrace, env_.options.handshake_timeout));
    std::array<uint8_t, 4096> sink;
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(sink), kAwait);
      if (ec) break;
    }
    deadline_.Disarm();
    socket.close(ignored);
  }

  // --- the protocol ----------------------------------------------------------------------------
  Result<std::string> PeerCommonName() {
    X509* cert = SSL_get0_peer_certificate(stream_.native_handle());
    if (cert == nullptr) {
      return Status(ErrorCode::kUnauthenticated,
                    Tr("终端未出示证书", "the terminal presented no certificate"));
    }
    BIO* bio = BIO_new(BIO_s_mem());
    ONECARD_CHECK(bio != nullptr && PEM_write_bio_X509(bio, cert) == 1);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    return CertificateCommonName(pem);
  }

  // Checks Hello and the terminal's enrolment, answers HelloAck. False when the session ended.
  awaitable<bool> Welcome(const wire::Envelope& envelope) {
    if (!envelope.has_hello()) {
      ++env_.counters.bad_frames;
      co_await Refuse(Status(ErrorCode::kInvalidArgument,
                             Tr("第一条消息必须是 Hello", "the first message must be Hello")));
      co_return false;
    }
    const wire::Hello& hello = envelope.hello();
    if (hello.protocol_version() == 0) {
      ++env_.counters.refused;
      co_await Refuse(Status(ErrorCode::kInvalidArgument,
                             Tr("协议版本 0 无效", "protocol version 0 is not valid")));
      co_return false;
    }
    if (hello.terminal_id() != terminal_id_) {
      ++env_.counters.refused;
      co_await Refuse(Status(ErrorCode::kPermissionDenied,
                             Tr("Hello 中的终端编号与证书不符",
                                "the terminal id in Hello does not match the certificate")));
      co_return false;
    }
    Result<TerminalInfo> terminal = co_await AwaitStore<TerminalInfo>([this](auto done) {
      env_.store.Post(
          [id = terminal_id_, done](SyncStore& store) { done(store.FindTerminal(id)); });
    });
    // Defence in depth: a terminal revoked since the last reload of the handshake's list
    // (SyncServiceOptions::revocation_refresh) is refused here.
    if (!terminal.ok() || terminal->revoked) {
      ++env_.counters.refused;
      Status why =
          !terminal.ok() && terminal.status().code() != ErrorCode::kNotFound
              ? terminal.status()
              : Status(ErrorCode::kPermissionDenied,
                       terminal.ok() ? Tr("终端 " + terminal_id_ + " 已被吊销",
                                          "terminal " + terminal_id_ + " is revoked")
                                     : Tr("终端 " + terminal_id_ + " 未登记",
                                          "terminal " + terminal_id_ + " is not enrolled"));
      co_await Refuse(why);
      co_return false;
    }
    terminal_ = std::move(terminal).value();
    wire::Envelope ack;
    wire::HelloAck* body = ack.mutable_hello_ack();
    version_ = std::min(hello.protocol_version(), kSyncProtocolVersion);
    body->set_protocol_version(version_);
    body->set_site_id(terminal_.site_id);
    body->set_area(terminal_.area);
    body->set_server_time_ms(HybridClock::PhysicalNowMs(*env_.options.clock));
    Status written = co_await WriteEnvelope(ack);
    if (!written.ok()) {
      Log(written.message());
      co_return false;
    }
    co_return true;
  }

  // Ingests one PushRequest's events and writes its reply; replies leave in the order of the
  // requests because the store thread completes pushes in the order they were queued, and the
  // completions resume on this session's strand in that order.
  static awaitable<void> PushThenAck(std::shared_ptr<SyncSession> self, PushRequestEvents events) {
    self->acks_due_.push_back(co_await self->HandlePush(std::move(events)));
    if (self->writing_acks_) co_return;  // the coroutine writing now sends this one too, in order
    self->writing_acks_ = true;
    while (!self->acks_due_.empty()) {
      wire::Envelope ack = std::move(self->acks_due_.front());
      self->acks_due_.pop_front();
      if (!self->ack_failed_) {
        self->ack_deadline_.Arm(self->env_.options.idle_timeout);
        boost::system::error_code ec = co_await net::WriteFrame(self->stream_, ack);
        self->ack_deadline_.Disarm();
        if (ec) {
          Status why = StatusFromAsio(ec, "write", self->DeadlineExpired());
          if (why.code() == ErrorCode::kDeadlineExceeded) ++self->env_.counters.timed_out;
          self->Log(why.message());
          self->ack_failed_ = true;
          boost::system::error_code ignored;
          self->stream_.lowest_layer().close(ignored);  // ends the pending read as well
        }
      }
      --self->pushes_in_flight_;
      self->SignalProgress();
    }
    self->writing_acks_ = false;
    if (self->pushes_in_flight_ == 0 && self->reading_ && !self->ack_failed_) {
      self->deadline_.Arm(self->env_.options.idle_timeout);
    }
  }

  awaitable<wire::Envelope> HandlePush(PushRequestEvents events) {
    const size_t count = events.size();
    auto batch = std::make_shared<IngestBatch>();
    batch->terminal_id = terminal_id_;
    batch->events = std::move(events);
    batch->refuse_singly = version_ >= kFirstVersionWithEventRefusals;
    // Queued for the store thread's next group commit; resumed after that commit. The batch's
    // last reference is this frame's: its events are freed on this thread. (Captured by
    // reference: GCC 12 destroys a temporary in a co_await expression twice, see AwaitStore.)
    Result<uint64_t> acked = co_await AwaitStore<uint64_t>(
        [this, &batch](auto done) { env_.store.Ingest(batch, done); });
    if (!acked.ok()) {
      Log(acked.status().message());
      co_return ErrorEnvelope(acked.status());
    }
    env_.counters.events_ingested += count - batch->refused.size();
    env_.counters.events_refused += batch->refused.size();
    wire::Envelope reply;
    reply.mutable_push_ack()->set_acked_seq(*acked);
    for (wire::EventRefusal& refusal : batch->refused) {
      Log(refusal.message());
      *reply.mutable_push_ack()->add_refused() = std::move(refusal);
    }
    co_return reply;
  }

  awaitable<wire::Envelope> HandlePull(const wire::PullRequest& pull) {
    uint32_t max_items = pull.max_items();
    if (max_items == 0 || max_items > env_.options.max_pull_items)
      max_items = env_.options.max_pull_items;
    // A page must fit in one frame; when the items are large, ask the store for fewer.
    for (;;) {
      Result<wire::PullPage> page = co_await AwaitStore<wire::PullPage>([&](auto done) {
        env_.store.Post([scope = PullScope{terminal_.site_id, terminal_.area},
                         cursor = pull.cursor(), max_items,
                         done](SyncStore& store) { done(store.Pull(scope, cursor, max_items)); });
      });
      if (!page.ok()) {
        Log(page.status().message());
        co_return ErrorEnvelope(page.status());
      }
      wire::Envelope reply;
      *reply.mutable_pull_page() = std::move(page).value();
      if (EncodedBodySize(reply) <= env_.options.max_frame_bytes) co_return reply;
      if (max_items <= 1) {
        co_return ErrorEnvelope(Status(ErrorCode::kResourceExhausted,
                                       Tr("单个儿童记录超过帧大小上限",
                                          "a single child record exceeds the frame size limit")));
      }
      max_items /= 2;
    }
  }

  // Version 4 (sync.md, "Audit chain"): the store checks and keeps the entries; a problem in the
  // chain is logged (the first one of this terminal) and never fails the reply.
  awaitable<wire::Envelope> HandleAuditPush(const wire::AuditPush& push) {
    auto entries = std::make_shared<std::vector<wire::AuditEntry>>(push.entries().begin(),
                                                                   push.entries().end());
    Result<AuditReceipt> receipt = co_await AwaitStore<AuditReceipt>([&](auto done) {
      env_.store.Post([id = terminal_id_, entries, done](SyncStore& store) {
        done(store.StoreTerminalAudit(id, *entries));
      });
    });
    if (!receipt.ok()) {
      Log(receipt.status().message());
      co_return ErrorEnvelope(receipt.status());
    }
    if (receipt->new_problem.kind != AuditProblemKind::kNone) {
      Log(AuditProblemText(terminal_id_, receipt->new_problem));
    }
    wire::Envelope reply;
    reply.mutable_audit_ack()->set_held_id(receipt->held_id);
    co_return reply;
  }

  void Log(const std::string& what) const {
    if (!env_.options.log) return;
    std::string line = "session " + peer_;
    if (!terminal_id_.empty()) line += " terminal " + terminal_id_;
    env_.options.log(line + ": " + what);
  }

  const SessionEnvironment& env_;
  ssl::stream<tcp::socket> stream_;
  net::Deadline deadline_;
  Bytes buffer_;
  // Pipelined pushes: submitted to the store and not yet acknowledged on the wire; the replies
  // waiting to be written, in request order; whether a PushThenAck is writing them.
  net::Deadline ack_deadline_;
  asio::steady_timer progress_;
  size_t pushes_in_flight_ = 0;
  std::deque<wire::Envelope> acks_due_;
  bool writing_acks_ = false;
  bool ack_failed_ = false;  // an acknowledgement could not be written: the session is over
  bool reading_ = false;     // ReadEnvelope is waiting for the peer
  std::string peer_;
  std::string terminal_id_;      // the certificate's CN, once the handshake succeeded
  TerminalInfo terminal_;        // once Hello was accepted
  uint32_t version_ = 0;         // the protocol version chosen in HelloAck
  ConnectionLimits::Slot slot_;  // this session's share of its terminal's connections
};

}  // namespace

awaitable<void> RunSyncSession(const SessionEnvironment& env, tcp::socket socket) {
  auto session = std::make_shared<SyncSession>(env, std::move(socket));
  co_await session->Run();
}

}  // namespace onecard::server
