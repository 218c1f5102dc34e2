#include "onecard/server/sync_service.h"

#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "onecard/net/asio_status.h"
#include "onecard/net/listener.h"
#include "onecard/net/tls_server_context.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "revoked_terminals.h"
#include "store_executor.h"
#include "sync_session.h"

// GCC 12 reports -Wmismatched-new-delete for Asio's coroutine frames (awaitable_frame_base has
// matching class-specific new/delete; a known false positive, seen with the sanitizer build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace onecard::server {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Raises the soft limit on open files to the hard limit: each terminal connection is a
// descriptor, and the common soft default (1024) is below what one server must hold.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

struct SyncService::Impl {
  Impl(SyncServiceOptions o, SyncStore& s) : options(std::move(o)), store(s) {}

  asio::awaitable<void> AcceptLoop() {
    asio::steady_timer backoff(acceptor->get_executor());
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(*io), kAwait);
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      if (ec) {
        // Out of descriptors or a transient network error: wait a little instead of spinning.
        if (options.log) options.log("accept: " + net::DescribeAsioError(ec));
        backoff.expires_after(std::chrono::milliseconds(100));
        co_await backoff.async_wait(kAwait);
        continue;
      }
      ++counters.accepted;
      if (counters.active >= options.max_connections) {
        ++counters.over_limit;
        if (options.log)
          options.log("connection limit reached (" + std::to_string(options.max_connections) +
                      "), closing a new connection");
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto executor = socket.get_executor();
      asio::co_spawn(executor, RunSyncSession(*environment, std::move(socket)),
                     [log = options.log](std::exception_ptr error) {
                       // Sessions report failures as values; an exception here is a bug in a
                       // library (e.g. out of memory). The session is gone; the service goes on.
                       if (!error || !log) return;
                       try {
                         std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                         log(std::string("session ended by exception: ") + e.what());
                       } catch (...) {
                         log("session ended by an unknown exception");
                       }
                     });
    }
  }

  // Reloads the revoked terminals every options.revocation_refresh, on the store thread. A failed
  // reload keeps the previous list (the check after Hello still applies) and is logged.
  asio::awaitable<void> RefreshRevocations() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      timer.expires_after(options.revocation_refresh);
      auto [ec] = co_await timer.async_wait(kAwait);
      if (ec) co_return;
      Result<std::vector<std::string>> ids =
          co_await AwaitStore<std::vector<std::string>>([this](auto done) {
            store_executor->Post([done](SyncStore& s) { done(s.RevokedTerminalIds()); });
          });
      if (!ids.ok()) {
        if (options.log)
          options.log(Tr("读取已吊销终端失败：", "reading the revoked terminals failed: ") +
                      ids.status().message());
        continue;
      }
      for (const std::string& id : revoked.Replace(*ids)) {
        if (options.log) {
          options.log(
              Tr("终端 " + id + " 已被吊销，此后在 TLS 握手时拒绝",
                 "terminal " + id + " is revoked: refused during the TLS handshake from now on"));
        }
      }
    }
  }

  // Every options.background_refresh, runs the store's background refresh one step at a time on
  // the store thread until it has nothing left; store work queued meanwhile (pushes, pulls) runs
  // between the steps, and after each step the refresh waits kIdleShare times as long as the step
  // took, so that it takes at most about a fifth of the store thread however costly the records.
  // A failed step is logged and tried again at the next turn.
  asio::awaitable<void> RefreshInBackground() {
    constexpr int kIdleShare = 4;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      timer.expires_after(options.background_refresh);
      auto [ec] = co_await timer.async_wait(kAwait);
      if (ec) co_return;
      for (;;) {
        const auto step_began = std::chrono::steady_clock::now();
        Result<bool> more = co_await AwaitStore<bool>([this](auto done) {
          store_executor->Post([done](SyncStore& s) { done(s.RefreshInBackground()); });
        });
        timer.expires_after(kIdleShare * (std::chrono::steady_clock::now() - step_began));
        if (auto [stopped] = co_await timer.async_wait(kAwait); stopped) co_return;
        if (!more.ok() && options.log) {
          options.log(Tr("后台刷新身份分组失败：", "the background identity refresh failed: ") +
                      more.status().message());
        }
        if (!more.ok() || !*more) break;
      }
    }
  }

  SyncServiceOptions options;
  SyncStore& store;
  RevokedTerminals revoked;
  SyncServiceCounters counters;
  std::unique_ptr<ConnectionLimits> limits;
  std::unique_ptr<StoreExecutor> store_executor;
  std::unique_ptr<asio::ssl::context> tls;
  std::optional<SessionEnvironment> environment;
  std::unique_ptr<asio::io_context> io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};
  bool started = false;
};

SyncService::SyncService(SyncServiceOptions options, SyncStore& store)
    : impl_(std::make_unique<Impl>(std::move(options), store)) {}

SyncService::~SyncService() {
  Stop();
  WipeString(impl_->options.key_pem);
}

Status SyncService::Start() {
  Impl& m = *impl_;
  if (m.started) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("同步服务已经启动", "the sync service was already started"));
  }
  if (m.options.threads < 1 || m.options.max_frame_bytes < 64 || m.options.max_pull_items < 1 ||
      m.options.revocation_refresh <= std::chrono::milliseconds::zero() ||
      m.options.max_connections_per_terminal < 1 || m.options.max_connections < 1) {
    return Status(
        ErrorCode::kInvalidArgument,
        Tr("同步服务参数无效（线程数、帧上限、分页大小或吊销名单刷新间隔）",
           "invalid sync service options (threads, frame limit, page size or revocation refresh)"));
  }
  auto tls = net::MakeServerTlsContext(
      m.options.ca_cert_pem, m.options.cert_pem, m.options.key_pem,
      [&revoked = m.revoked](std::string_view id) { return revoked.Contains(id); });
  WipeString(m.options.key_pem);
  if (!tls.ok()) return tls.status();
  // Loaded before the first connection is accepted (on this thread: the store thread is not
  // running yet), so that no revoked terminal completes a handshake after a restart.
  Result<std::vector<std::string>> revoked_ids = m.store.RevokedTerminalIds();
  if (!revoked_ids.ok()) return revoked_ids.status();
  m.revoked.Replace(*revoked_ids);
  m.tls = std::move(tls).value();

  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(m.options.host, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument, Tr("监听地址无效：" + m.options.host,
                                                  "invalid listen address: " + m.options.host));
  }
  RaiseOpenFileLimit();
  m.io = std::make_unique<asio::io_context>(m.options.threads);
  m.acceptor.emplace(*m.io);
  tcp::endpoint endpoint(address, m.options.port);
  if (Status listening = net::Listen(*m.acceptor, endpoint); !listening.ok()) {
    m.acceptor.reset();
    m.io.reset();
    return listening;
  }
  m.port = m.acceptor->local_endpoint().port();
  m.store_executor = std::make_unique<StoreExecutor>(m.store, *m.options.clock);
  m.store_executor->Start();
  m.limits = std::make_unique<ConnectionLimits>(m.options.max_connections_per_terminal);
  m.environment.emplace(
      SessionEnvironment{*m.store_executor, m.options, *m.tls, m.counters, *m.limits});
  m.started = true;
  asio::co_spawn(m.acceptor->get_executor(), m.AcceptLoop(), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);  // the accept loop throws only on a bug
  });
  asio::co_spawn(asio::make_strand(*m.io), m.RefreshRevocations(), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);  // throws only on a bug
  });
  asio::co_spawn(asio::make_strand(*m.io), m.RefreshInBackground(), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);  // throws only on a bug
  });
  for (int i = 0; i < m.options.threads; ++i) {
    m.threads.emplace_back([io = m.io.get()] { io->run(); });
  }
  return Status::Ok();
}

uint16_t SyncService::port() const { return impl_->port; }

void SyncService::Stop() {
  Impl& m = *impl_;
  if (!m.io) return;
  // Stopping the io_context abandons every pending operation; joining waits for a store call in
  // progress. Destroying the io_context then destroys the suspended sessions, whose sockets close.
  m.io->stop();
  for (std::thread& t : m.threads) t.join();
  m.threads.clear();
  // Store calls already queued finish (their replies are not sent: the terminal re-sends, and
  // pushes are idempotent). Their completions land in the stopped io_context and are destroyed
  // with it, after this.
  m.store_executor->Stop();
  boost::system::error_code ignored;
  m.acceptor->close(ignored);
  m.acceptor.reset();
  m.io.reset();
  m.port = 0;
}

SyncServiceStats SyncService::stats() const {
  const SyncServiceCounters& c = impl_->counters;
  SyncServiceStats s;
  s.accepted = c.accepted;
  s.active = c.active;
  s.handshake_failed = c.handshake_failed;
  s.refused = c.refused;
  s.bad_frames = c.bad_frames;
  s.timed_out = c.timed_out;
  s.completed = c.completed;
  s.events_ingested = c.events_ingested;
  s.events_refused = c.events_refused;
  s.over_limit = c.over_limit;
  return s;
}

}  // namespace onecard::server
