#include "read_errors.h"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "onecard/http/response.h"
#include "onecard/protocol/i18n.h"

namespace onecard::http {

ReadFailure ClassifyReadError(const boost::system::error_code& ec) {
  using boost::beast::http::error;
  if (ec == boost::beast::error::timeout) return {ReadOutcome::kTimedOut, std::nullopt};
  if (ec == error::header_limit) {
    return {ReadOutcome::kRespond,
            ErrorResponse(StatusCode::request_header_fields_too_large,
                          "request_header_fields_too_large",
                          Tr("请求头过大", "the request header is too large"))};
  }
  if (ec == error::body_limit) {
    return {ReadOutcome::kRespond,
            ErrorResponse(StatusCode::payload_too_large, "payload_too_large",
                          Tr("请求内容过大", "the request body is too large"))};
  }
  // The client went away in the middle of a message, or before starting one.
  if (ec == error::end_of_stream || ec == error::partial_message)
    return {ReadOutcome::kGone, std::nullopt};
  if (ec.category() == boost::beast::http::make_error_code(error::bad_method).category()) {
    return {ReadOutcome::kRespond, ErrorResponse(StatusCode::bad_request, "bad_request",
                                                 Tr("请求格式错误", "the request is malformed"))};
  }
  return {ReadOutcome::kGone, std::nullopt};  // socket and TLS errors: nothing can be sent
}

Response TooManyHeaderFields(size_t limit) {
  std::string n = std::to_string(limit);
  return ErrorResponse(
      StatusCode::request_header_fields_too_large, "request_header_fields_too_large",
      Tr("请求头字段超过 " + n + " 个", "the request has more than " + n + " header fields"));
}

}  // namespace onecard::http
