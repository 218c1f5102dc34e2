#include "https_test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace onecard::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;

HttpsTestClient::HttpsTestClient(uint16_t port, const std::string& ca_cert_pem,
                                 std::chrono::milliseconds deadline)
    : TestConnection("127.0.0.1", deadline),
      tls_(asio::ssl::context::tls_client),
      stream_(io_, tls_),
      port_(port),
      deadline_(deadline) {
  tls_.add_certificate_authority(asio::buffer(ca_cert_pem));
  tls_.set_verify_mode(asio::ssl::verify_peer);
  stream_.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
}

Status HttpsTestClient::Connect() {
  auto& tcp = beast::get_lowest_layer(stream_);
  tcp.expires_after(deadline_);
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
  auto ec = RunOperation(io_, [&](auto handler) { tcp.async_connect(endpoint, handler); });
  if (ec) return ConnectionFailed("connect", ec);
  tcp.expires_after(deadline_);
  ec = RunOperation(
      io_, [&](auto handler) { stream_.async_handshake(asio::ssl::stream_base::client, handler); });
  if (ec) return ConnectionFailed("TLS handshake", ec);
  return Status::Ok();
}

}  // namespace onecard::http::testing
