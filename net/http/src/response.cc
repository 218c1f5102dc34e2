#include "onecard/http/response.h"

#include "onecard/http/url.h"

namespace onecard::http {

Response MakeResponse(StatusCode status, std::string_view content_type, std::string body) {
  Response response(status, 11);
  response.set(beast_http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response JsonResponse(StatusCode status, const nlohmann::json& body) {
  return MakeResponse(status, kJsonType,
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response CsvResponse(const std::vector<std::vector<std::string>>& rows, const CsvOptions& options,
                     std::string_view filename) {
  Response response = MakeResponse(StatusCode::ok, kCsvType, FormatCsv(rows, options));
  // An ASCII fallback name for old clients, the exact UTF-8 name in filename*.
  std::string ascii;
  for (char c : filename) {
    auto byte = static_cast<unsigned char>(c);
    ascii.push_back(byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\' ? c : '_');
  }
  response.set(
      beast_http::field::content_disposition,
      "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + PercentEncode(filename));
  return response;
}

Response ErrorResponse(StatusCode status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return JsonResponse(status, body);
}

StatusCode HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return StatusCode::ok;
    case ErrorCode::kInvalidArgument:
      return StatusCode::bad_request;
    case ErrorCode::kNotFound:
      return StatusCode::not_found;
    case ErrorCode::kAlreadyExists:
      return StatusCode::conflict;
    case ErrorCode::kPermissionDenied:
      return StatusCode::forbidden;
    case ErrorCode::kUnauthenticated:
      return StatusCode::unauthorized;
    case ErrorCode::kTampered:
      return StatusCode::bad_request;
    case ErrorCode::kNotOneCard:
      return StatusCode::bad_request;
    case ErrorCode::kCardRemoved:
      return StatusCode::conflict;
    case ErrorCode::kUnavailable:
      return StatusCode::service_unavailable;
    case ErrorCode::kDeadlineExceeded:
      return StatusCode::gateway_timeout;
    case ErrorCode::kFailedPrecondition:
      return StatusCode::conflict;
    case ErrorCode::kResourceExhausted:
      return StatusCode::payload_too_large;
    case ErrorCode::kCorruption:
      return StatusCode::internal_server_error;
    case ErrorCode::kIoError:
      return StatusCode::internal_server_error;
    case ErrorCode::kInternal:
      return StatusCode::internal_server_error;
  }
  return StatusCode::internal_server_error;
}

Response ErrorResponse(const Status& status) {
  nlohmann::json error = {{"code", ErrorCodeName(status.code())}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return JsonResponse(HttpStatusFor(status.code()), {{"error", error}});
}

}  // namespace onecard::http
