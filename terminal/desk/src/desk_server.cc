#include "onecard/desk/desk_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <iostream>
#include <thread>
#include <vector>

#include "card_watch.h"
#include "desk_assets.h"
#include "desk_routes.h"
#include "desk_state.h"
#include "onecard/desk/desk_api.h"
#include "onecard/http/event_channel.h"
#include "onecard/http/server.h"
#include "onecard/protocol/i18n.h"

namespace onecard::desk {

struct DeskServer::Parts {
  Parts(const DeskOptions& o, const platform::Clock& clock)
      : options(o),
        state(o.data_dir, clock, o.idle_limit, o.reader, o.sync_every),
        api(state),
        watch(state.store, state.reader, state.events, o.reader) {}

  const DeskOptions options;
  DeskState state;
  DeskApi api;
  CardWatch watch;
  http::Router router;
  boost::asio::io_context io;
  std::unique_ptr<http::HttpServer> server;
  std::vector<std::thread> io_threads;
  uint16_t port = 0;
  bool started = false;
};

namespace {

constexpr int kIoThreads = 4;

// The access log: method, path, status, duration (never a query, a body or a cookie).
void LogAccess(const http::AccessLogEntry& entry) {
  std::clog << "desk " << entry.method << " " << entry.path << " " << entry.status << " "
            << entry.duration.count() << "ms\n";
}

}  // namespace

DeskServer::DeskServer(DeskOptions options, const platform::Clock& clock)
    : parts_(std::make_unique<Parts>(options, clock)) {}

DeskServer::~DeskServer() { Stop(); }

Status DeskServer::Start() {
  Parts& p = *parts_;
  ONECARD_CHECK(!p.started);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(p.options.listen_address, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--listen 的地址不是 IP 地址：" + p.options.listen_address,
                     "--listen address is not an IP address: " + p.options.listen_address));
  }
  p.api.AddRoutes(p.router);
  AddEventRoutes(p.router, p.state, p.state.events);
  AddDeskAssetRoutes(p.router);
  p.server = std::make_unique<http::HttpServer>(p.io, http::kPlainLoopback, p.router,
                                                http::ServerOptions{{}, LogAccess});
  ASSIGN_OR_RETURN(p.port, p.server->Listen({address, p.options.port}));
  p.state.guard.set_port(p.port);
  // Several I/O threads: a card write or a sync holds its request's thread for seconds, and the
  // event stream must go on meanwhile (each connection keeps to its own strand).
  for (int i = 0; i < kIoThreads; ++i) p.io_threads.emplace_back([&p] { p.io.run(); });
  if (p.options.watch_cards) p.watch.Start();
  p.state.sync.Start();
  p.started = true;
  return Status::Ok();
}

void DeskServer::Stop() {
  Parts& p = *parts_;
  if (!p.started) return;
  p.started = false;
  p.watch.Stop();
  p.state.sync.Stop();
  p.state.store.Lock();
  p.state.events->Close();
  p.server->Stop();
  for (std::thread& t : p.io_threads) t.join();
  p.io_threads.clear();
}

uint16_t DeskServer::port() const { return parts_->port; }

std::string DeskServer::LaunchUrl() const {
  const std::string& host = parts_->options.listen_address;
  const std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + authority + ":" + std::to_string(parts_->port) +
         "/open?secret=" + parts_->state.link.secret();
}

}  // namespace onecard::desk
