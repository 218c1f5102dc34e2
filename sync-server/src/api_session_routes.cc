// POST, GET and DELETE /api/v1/session: signing in and out, and who is signed in.

#include "api_routes.h"
#include "onecard/http/cookies.h"
#include "onecard/platform/secret_wipe.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {
namespace {

namespace beast_http = http::beast_http;
using Kind = SignInOutcome::Kind;

nlohmann::ordered_json PrincipalJson(const ApiContext& api, const Principal& who) {
  return {{"user", who.user_name},
          {"role", who.role},
          {"area", who.area_prefix},
          {"csrf_token", who.csrf_token},
          {"idle_timeout_seconds", api.sign_in.policy().idle_timeout.count()},
          {"as_of", UtcNowIso8601(api.clock)}};
}

// The JSON body of a sign-in: {"user", "password", "totp"?}, each a string. Only JSON is taken:
// a form on another site cannot send it without the browser asking this server first (CORS),
// which it never allows.
struct SignInBody {
  std::string user;
  std::string password;
  std::optional<std::string> totp;
};

std::optional<SignInBody> ParseSignIn(const http::Request& request) {
  if (!request.Header(beast_http::field::content_type).starts_with("application/json")) {
    return std::nullopt;
  }
  auto body = nlohmann::json::parse(request.body(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body["user"].is_string() || !body["password"].is_string()) {
    return std::nullopt;
  }
  SignInBody parsed{body["user"].get<std::string>(), body["password"].get<std::string>(), {}};
  if (body.contains("totp")) {
    if (!body["totp"].is_string()) return std::nullopt;
    parsed.totp = body["totp"].get<std::string>();
  }
  platform::WipeString(body["password"].get_ref<std::string&>());
  return parsed;
}

ApiAnswer Refused(const SignInOutcome& outcome) {
  ApiAnswer answer;
  switch (outcome.kind) {
    case Kind::kTotpRequired:
      answer = ApiError(http::StatusCode::unauthorized, "totp_required", "该账户需要动态验证码",
                        "this account needs a one-time code");
      break;
    case Kind::kRateLimited:
      answer =
          ApiError(http::StatusCode::too_many_requests, "rate_limited",
                   "登录失败次数过多，请稍后再试", "too many failed sign-ins: try again later");
      break;
    case Kind::kLocked:
      answer = ApiError(http::StatusCode::too_many_requests, "account_locked",
                        "登录失败次数过多，账户已暂时锁定",
                        "too many failed sign-ins: the account is locked for a while");
      break;
    default:
      answer =
          ApiError(http::StatusCode::unauthorized, "invalid_credentials",
                   "账户名、口令或动态验证码错误", "wrong account name, password or one-time code");
  }
  if (outcome.retry_after.count() > 0) {
    answer.response.set(beast_http::field::retry_after,
                        std::to_string(outcome.retry_after.count()));
  }
  return answer;
}

ApiAnswer SignInRoute(ApiContext& api, const http::Request& request) {
  std::optional<SignInBody> body = ParseSignIn(request);
  if (!body) {
    return ApiError(http::StatusCode::bad_request, "bad_request",
                    "登录请求应为 JSON：{\"user\": …, \"password\": …, \"totp\": …}",
                    "a sign-in is JSON: {\"user\": …, \"password\": …, \"totp\": …}");
  }
  Result<SignInOutcome> outcome =
      api.sign_in.SignIn(body->user, body->password, body->totp, request.peer_address());
  platform::WipeString(body->password);
  if (!outcome.ok()) return ApiError(outcome.status());
  if (outcome->kind != Kind::kSignedIn) {
    ApiAnswer answer = Refused(*outcome);
    answer.audit_user = body->user;  // the name tried, so the audit shows attacks on an account
    return answer;
  }
  ApiAnswer answer{http::MakeResponse(http::StatusCode::ok, http::kJsonType,
                                      PrincipalJson(api, outcome->principal).dump()),
                   0, outcome->principal.user_name};
  auto cookie =
      http::FormatSetCookie(http::SetCookie{.name = kSessionCookie, .value = outcome->token});
  platform::WipeString(outcome->token);
  if (!cookie.ok()) return ApiError(cookie.status());
  answer.response.set(beast_http::field::set_cookie, *cookie);
  return answer;
}

}  // namespace

void AddSessionRoutes(http::Router& router, ApiContext& api) {
  router.Post("/api/v1/session",
              Public(api, [&api](const http::Request& r) { return SignInRoute(api, r); }));
  router.Get("/api/v1/session", SignedIn(api, [&api](const http::Request&, const Principal& who) {
               return ApiAnswer{http::MakeResponse(http::StatusCode::ok, http::kJsonType,
                                                   PrincipalJson(api, who).dump()),
                                0, ""};
             }));
  router.Delete("/api/v1/session", SignedIn(api, [&api](const http::Request& r, const Principal&) {
                  Status ended = api.sign_in.SignOut(SessionToken(r).value_or(""));
                  if (!ended.ok()) return ApiError(ended);
                  ApiAnswer answer{
                      http::MakeResponse(http::StatusCode::ok, http::kJsonType,
                                         nlohmann::ordered_json{{"signed_out", true},
                                                                {"as_of", UtcNowIso8601(api.clock)}}
                                             .dump()),
                      0, ""};
                  auto cleared = http::FormatSetCookie(http::ExpiredCookie(kSessionCookie));
                  if (cleared.ok()) answer.response.set(beast_http::field::set_cookie, *cleared);
                  return answer;
                }));
}

}  // namespace onecard::server
