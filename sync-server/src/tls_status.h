// Translation of Asio and OpenSSL (TLS) error codes into Status: the one place in the server
// library where that happens.
#pragma once

#include <boost/system/error_code.hpp>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::server {

// `what` names the operation ("TLS handshake", "read", "bind"). `deadline_expired` is true when
// the operation was cut short by its deadline, which makes the result kDeadlineExceeded whatever
// the error code says. TLS protocol and certificate failures are kUnauthenticated; connection
// loss is kUnavailable; anything else from the operating system is kIoError.
Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what,
                      bool deadline_expired = false);

// The reason text of an OpenSSL error queue entry or of an Asio error, for logs.
std::string DescribeAsioError(const boost::system::error_code& ec);

}  // namespace onecard::server
