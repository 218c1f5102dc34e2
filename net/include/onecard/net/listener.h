// Opening a TCP listening socket: the one place where the sync server and the HTTPS server bind.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "onecard/protocol/status.h"

namespace onecard::net {

// Opens `acceptor` on `endpoint` (address reuse on, the system's largest backlog) and starts
// listening. On failure the acceptor is closed and the Status (asio_status.h; e.g. kUnavailable for
// an address in use, kPermissionDenied for a privileged port) names the address.
Status Listen(boost::asio::ip::tcp::acceptor& acceptor,
              const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace onecard::net
