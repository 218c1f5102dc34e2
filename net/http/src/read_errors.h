// Translation of errors met while reading a request into what the server does about them: the
// one place where Beast's and Asio's error codes are interpreted. Internal to onecard_http.
#pragma once

#include <boost/system/error_code.hpp>
#include <optional>

#include "onecard/http/message.h"

namespace onecard::http {

enum class ReadOutcome {
  kRespond,   // the client sent something wrong: answer with `response`, then close
  kTimedOut,  // a deadline passed: close without answering (a slow client gets nothing)
  kGone,      // the client closed, reset or was cancelled by Stop(): just close
};

struct ReadFailure {
  ReadOutcome outcome = ReadOutcome::kGone;
  std::optional<Response> response;  // set for kRespond
};

// Precondition: ec is an error.
ReadFailure ClassifyReadError(const boost::system::error_code& ec);

// The 431 answer for a request with more than `limit` header fields.
Response TooManyHeaderFields(size_t limit);

}  // namespace onecard::http
