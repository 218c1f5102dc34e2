#include "officials_http_service.h"

#include <boost/asio/ip/address.hpp>

#include "dashboard_assets.h"
#include "onecard/net/tls_https_context.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {

OfficialsHttpService::OfficialsHttpService(AccountStore& accounts, ReportStore& reports,
                                           const platform::Clock& clock, SignInPolicy policy)
    : api_(accounts, reports, clock, policy) {
  api_.AddRoutes(router_);
  AddDashboardRoutes(router_);
}

OfficialsHttpService::~OfficialsHttpService() { Stop(); }

Result<uint16_t> OfficialsHttpService::Start(
    const std::string& host, uint16_t port, const std::string& cert_pem, std::string key_pem,
    std::function<void(const http::AccessLogEntry&)> access_log, int threads) {
  ONECARD_CHECK(server_ == nullptr && threads > 0);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument, Tr("--http 的地址不是 IP 地址：" + host,
                                                  "--http address is not an IP address: " + host));
  }
  ASSIGN_OR_RETURN(tls_, net::MakeHttpsContextFromPem(cert_pem, std::move(key_pem)));
  server_ = std::make_unique<http::HttpServer>(
      io_, *tls_, router_, http::ServerOptions{http::ServerLimits{}, std::move(access_log)});
  ASSIGN_OR_RETURN(uint16_t bound, server_->Listen({address, port}));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  return bound;
}

void OfficialsHttpService::Stop() {
  if (server_) server_->Stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace onecard::server
