#include "onecard/net/listener.h"

#include <string>

#include "onecard/net/asio_status.h"
#include "onecard/protocol/i18n.h"

namespace onecard::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Status Listen(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return Status::Ok();
  boost::system::error_code ignored;
  acceptor.close(ignored);
  std::string where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  return StatusFromAsio(ec, Tr("在 " + where + " 监听", "listen on " + where), Side::kServer);
}

}  // namespace onecard::net
