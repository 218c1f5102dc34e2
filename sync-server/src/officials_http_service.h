// The officials' HTTPS API as a running service (`serve --http`): the net/http server with the
// OfficialsApi routes and the dashboard (dashboard_assets.h) on the same listener, on its own
// io_context and I/O threads, beside the sync service.
//
// TLS: net::MakeHttpsContextFromPem (TLS 1.3, and 1.2 with ECDHE and AEAD suites only). Every
// connection and request has the net/http server's limits and deadlines (ServerLimits).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "onecard/http/router.h"
#include "onecard/http/server.h"
#include "onecard/server/officials_api.h"

namespace onecard::server {

class OfficialsHttpService {
 public:
  // The stores and the clock must outlive the service.
  OfficialsHttpService(AccountStore& accounts, ReportStore& reports, const platform::Clock& clock,
                       SignInPolicy policy = {});
  // Stops and joins the I/O threads. Neither copied nor moved (it owns an io_context).
  ~OfficialsHttpService();

  // Listens on host:port (port 0: any free one) with the certificate chain (leaf first) and key
  // given as PEM (the key is wiped after use) and starts `threads` I/O threads. Returns the port.
  // kInvalidArgument for bad PEM or a bad host, kUnavailable when the address cannot be bound.
  Result<uint16_t> Start(const std::string& host, uint16_t port, const std::string& cert_pem,
                         std::string key_pem,
                         std::function<void(const http::AccessLogEntry&)> access_log = {},
                         int threads = 2);

  // Graceful stop (HttpServer::Stop), then waits for the I/O threads. Idempotent.
  void Stop();

 private:
  boost::asio::io_context io_;
  http::Router router_;
  OfficialsApi api_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<http::HttpServer> server_;
  std::vector<std::thread> threads_;
};

}  // namespace onecard::server
