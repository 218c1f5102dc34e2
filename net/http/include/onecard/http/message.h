// The HTTP message types every part of onecard_http exchanges: Beast's string-bodied request and
// response. Bodies are held in memory; the server bounds their size (ServerLimits).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace onecard::http {

namespace beast_http = boost::beast::http;

using RawRequest = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Method = beast_http::verb;
using StatusCode = beast_http::status;

}  // namespace onecard::http
