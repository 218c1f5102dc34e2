// The two streams a connection runs over: TLS over TCP (HTTPS) or bare TCP (plain HTTP on
// loopback). Both are Beast tcp_streams underneath, whose expiry bounds every operation. Internal
// to onecard_http.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace onecard::http {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using PlainStream = boost::beast::tcp_stream;

}  // namespace onecard::http
