#include "onecard/server/officials_api.h"

#include "api_routes.h"
#include "onecard/http/cookies.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {
namespace {

namespace beast_http = http::beast_http;

constexpr size_t kMaxAuditedTarget = 1000;  // bytes of path and query kept in the audit

// Refusals of a state-changing request that did not come from this server's own pages: another
// site's Origin, or no or a wrong CSRF token. nullopt when it may go on.
std::optional<ApiAnswer> CsrfRefusal(const http::Request& request, const Principal& principal) {
  const std::string_view origin = request.Header(beast_http::field::origin);
  const std::string own = "https://" + std::string(request.Header(beast_http::field::host));
  if (!origin.empty() && origin != own) {
    return ApiError(http::StatusCode::forbidden, "cross_origin",
                    "拒绝来自其他网站的请求：" + std::string(origin),
                    "refused a request from another site: " + std::string(origin));
  }
  if (!SecretsEqual(request.raw()[kCsrfHeader], principal.csrf_token)) {
    return ApiError(http::StatusCode::forbidden, "csrf",
                    std::string("缺少或错误的 ") + kCsrfHeader + " 请求头（防跨站请求伪造）",
                    std::string("missing or wrong ") + kCsrfHeader +
                        " header (cross-site request forgery protection)");
  }
  return std::nullopt;
}

ApiAnswer NotSignedIn(bool had_cookie) {
  ApiAnswer answer =
      ApiError(http::StatusCode::unauthorized, "unauthenticated", "未登录或会话已过期，请重新登录",
               "not signed in, or the session has expired: sign in again");
  if (had_cookie) {
    // A cookie that names no session any more is cleared, so the browser stops sending it.
    auto cleared = http::FormatSetCookie(http::ExpiredCookie(kSessionCookie));
    if (cleared.ok()) answer.response.set(beast_http::field::set_cookie, *cleared);
  }
  return answer;
}

// Appends the request to the audit; the answer is sent only when that worked.
http::Response Audit(ApiContext& api, const http::Request& request, const std::string& user,
                     ApiAnswer answer) {
  std::string target(request.raw().target());
  if (target.size() > kMaxAuditedTarget) target.resize(kMaxAuditedTarget);
  ApiAuditEntry entry{0,
                      UtcNowIso8601(api.clock),
                      answer.audit_user.empty() ? user : answer.audit_user,
                      std::string(request.raw().method_string()),
                      std::move(target),
                      static_cast<int>(answer.response.result_int()),
                      answer.cells};
  Status audited = api.accounts.AppendApiAudit(entry);
  if (!audited.ok()) {
    return http::ErrorResponse(http::StatusCode::internal_server_error, "audit_failed",
                               Tr("无法记录审计日志，请求未执行",
                                  "the request could not be "
                                  "audited, so it was not answered"));
  }
  return std::move(answer.response);
}

}  // namespace

ApiAnswer ApiError(http::StatusCode status, std::string_view code, const std::string& zh,
                   const std::string& en) {
  return ApiAnswer{http::ErrorResponse(status, code, Tr(zh, en)), 0, ""};
}

ApiAnswer ApiError(const Status& status) { return ApiAnswer{http::ErrorResponse(status), 0, ""}; }

std::optional<std::string> SessionToken(const http::Request& request) {
  auto it = request.cookies().find(kSessionCookie);
  if (it == request.cookies().end()) return std::nullopt;
  return it->second;
}

http::Response JsonOrCsv(const http::Request& request, const nlohmann::ordered_json& json,
                         const CsvRows& csv, std::string_view name) {
  const bool csv_path = request.path().ends_with(".csv");
  const bool csv_accept =
      request.Header(beast_http::field::accept).find("text/csv") != std::string_view::npos;
  if (csv_path || csv_accept) {
    return http::CsvResponse(csv, http::CsvOptions{.utf8_bom = true}, std::string(name) + ".csv");
  }
  return http::MakeResponse(http::StatusCode::ok, http::kJsonType, json.dump());
}

http::Handler Public(ApiContext& api, PublicHandler handler) {
  return [&api, handler = std::move(handler)](const http::Request& request) {
    return Audit(api, request, "", handler(request));
  };
}

http::Handler SignedIn(ApiContext& api, SignedInHandler handler) {
  return [&api, handler = std::move(handler)](const http::Request& request) {
    std::optional<std::string> token = SessionToken(request);
    Result<std::optional<Principal>> principal = std::optional<Principal>();
    if (token) principal = api.sign_in.Authenticate(*token);
    if (!principal.ok()) return Audit(api, request, "", ApiError(principal.status()));
    if (!*principal) return Audit(api, request, "", NotSignedIn(token.has_value()));
    const Principal& who = **principal;
    if (request.ChangesState()) {
      if (auto refused = CsrfRefusal(request, who)) {
        return Audit(api, request, who.user_name, std::move(*refused));
      }
    }
    return Audit(api, request, who.user_name, handler(request, who));
  };
}

struct OfficialsApi::Impl {
  ApiContext api;
};

OfficialsApi::OfficialsApi(AccountStore& accounts, ReportStore& reports,
                           const platform::Clock& clock, SignInPolicy policy)
    : impl_(
          new Impl{ApiContext{accounts, reports, clock, SignInService(accounts, clock, policy)}}) {}

OfficialsApi::~OfficialsApi() = default;

void OfficialsApi::AddRoutes(http::Router& router) {
  AddSessionRoutes(router, impl_->api);
  AddReportRoutes(router, impl_->api);
}

}  // namespace onecard::server
