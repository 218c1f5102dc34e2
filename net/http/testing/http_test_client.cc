#include "http_test_client.h"

#include <boost/asio/ip/address.hpp>

namespace onecard::http::testing {

namespace asio = boost::asio;

HttpTestClient::HttpTestClient(uint16_t port, std::string address,
                               std::chrono::milliseconds deadline)
    : TestConnection(address, deadline),
      stream_(io_),
      address_(std::move(address)),
      port_(port),
      deadline_(deadline) {}

Status HttpTestClient::Connect(int receive_buffer) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(address_), port_);
  if (receive_buffer > 0) {
    stream_.socket().open(endpoint.protocol());
    stream_.socket().set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  stream_.expires_after(deadline_);
  auto ec = RunOperation(io_, [&](auto handler) { stream_.async_connect(endpoint, handler); });
  return ec ? ConnectionFailed("connect", ec) : Status::Ok();
}

}  // namespace onecard::http::testing
