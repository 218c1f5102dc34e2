// Building responses: JSON, CSV and errors. Every body is UTF-8 and says so in Content-Type.
// Headers common to all responses (security headers, Cache-Control: no-store by default) are
// added by the server after the handler returns (security_headers.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/http/csv.h"
#include "onecard/http/message.h"
#include "onecard/protocol/status.h"

namespace onecard::http {

inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";
inline constexpr std::string_view kCsvType = "text/csv; charset=utf-8";

// `body` with Content-Type and Content-Length set.
Response MakeResponse(StatusCode status, std::string_view content_type, std::string body);

// Invalid UTF-8 inside `body`'s strings is replaced by U+FFFD rather than failing the response.
Response JsonResponse(StatusCode status, const nlohmann::json& body);

// A download: Content-Disposition attachment with `filename` (UTF-8 allowed; RFC 6266 filename*).
Response CsvResponse(const std::vector<std::vector<std::string>>& rows, const CsvOptions& options,
                     std::string_view filename);

// {"error": {"code": code, "message": message}} with `status`. `code` is a stable English token
// ("not_found"); `message` is one sentence for a person, in the user's language.
Response ErrorResponse(StatusCode status, std::string_view code, std::string_view message);

// The HTTP status for an error code (kNotFound -> 404, kInvalidArgument -> 400, ...).
StatusCode HttpStatusFor(ErrorCode code);

// ErrorResponse from a non-OK Status: code from ErrorCodeName, status from HttpStatusFor, and
// "field" beside code and message when the status names one (Status::field()).
Response ErrorResponse(const Status& status);

}  // namespace onecard::http
