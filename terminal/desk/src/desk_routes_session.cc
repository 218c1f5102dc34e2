// The desk's session routes: the launch link, who is signed in, sign-in and lock (desk_api.h).

#include "desk_routes.h"
#include "onecard/http/cookies.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/staff_roles.h"

namespace onecard::desk {
namespace {

using nlohmann::json;

// The answer to a launch link that was used already or is wrong: a page for the person, who then
// starts the desk again (a new link).
http::Response LinkRefused() {
  const std::string text =
      Tr("此链接已使用或无效。请重新运行 onecard-terminal desk，并打开它显示的新链接。",
         "This link was used already or is not valid. Run onecard-terminal desk again and open the "
         "new link it shows.");
  return http::MakeResponse(http::StatusCode::forbidden, "text/plain; charset=utf-8", text + "\n");
}

// GET /open?secret=S: a session cookie for the first browser presenting the secret, then to /.
http::Response Open(DeskState& state, const http::Request& request) {
  if (!state.guard.CheckHost(request).ok()) return LinkRefused();
  std::optional<std::string> secret = request.query().Get("secret");
  if (!secret || !state.link.Redeem(*secret)) return LinkRefused();
  const BrowserSession session = state.sessions.Open();
  http::SetCookie cookie{kSessionCookie, session.id};
  // The desk is plain HTTP on loopback: the cookie never crosses a network, and a Secure cookie
  // would not be kept by every browser over http://127.0.0.1.
  cookie.secure = false;
  http::Response response = http::MakeResponse(http::StatusCode::see_other, "text/plain", "");
  response.set(http::beast_http::field::location, "/");
  response.set(http::beast_http::field::set_cookie, *http::FormatSetCookie(cookie));
  return response;
}

json SessionJson(DeskState& state, const BrowserSession& session) {
  json out = {{"signed_in", false},
              {"csrf_token", session.csrf_token},
              {"idle_seconds",
               std::chrono::duration_cast<std::chrono::seconds>(state.store.idle_limit()).count()}};
  if (std::optional<DeskUser> who = state.store.Current()) {
    out["signed_in"] = true;
    out["user"] = who->user;
    out["role"] = std::string(terminal::StaffRoleName(who->role));
    out["terminal_id"] = who->terminal_id;
  }
  return out;
}

Result<json> SignIn(DeskState& state, const http::Request& request, const BrowserSession& session) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  const json& user = body["user"];
  const json& passphrase = body["passphrase"];
  if (!user.is_string() || user.get_ref<const std::string&>().empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请填写工作人员姓名", "enter the staff name"))
        .WithField("user");
  }
  if (!passphrase.is_string() || passphrase.get_ref<const std::string&>().empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请填写口令", "enter the passphrase"))
        .WithField("passphrase");
  }
  std::string secret = passphrase.get<std::string>();
  WipeString(body["passphrase"].get_ref<std::string&>());
  RETURN_IF_ERROR(state.store.SignIn(user.get<std::string>(), std::move(secret)));
  return SessionJson(state, session);
}

// POST /api/language {language: "zh"|"en"}: the language of the desk's messages. The desk is one
// person's screen, so the program's language is theirs.
Result<json> ChooseLanguage(const http::Request& request) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  Result<std::string> given = TextMember(body, "language", 8);
  const std::string language = given.ok() ? *given : "";
  if (language != "zh" && language != "en") {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("language 应为 zh 或 en", "language must be zh or en"))
        .WithField("language");
  }
  SetLanguage(language == "en" ? Language::kEn : Language::kZh);
  return json{{"language", language}};
}

}  // namespace

void AddSessionRoutes(http::Router& router, DeskState& state) {
  router.Get("/open", [&state](const http::Request& r) { return Open(state, r); });
  router.Get("/api/session",
             Guarded(state, [&state](const http::Request&, const BrowserSession& session) {
               return http::JsonResponse(http::StatusCode::ok, SessionJson(state, session));
             }));
  router.Post("/api/sign-in",
              Guarded(state, [&state](const http::Request& r, const BrowserSession& session) {
                return JsonOrError(SignIn(state, r, session));
              }));
  router.Post("/api/language", Guarded(state, [](const http::Request& r, const BrowserSession&) {
                return JsonOrError(ChooseLanguage(r));
              }));
  router.Post("/api/lock",
              Guarded(state, [&state](const http::Request&, const BrowserSession& session) {
                state.store.Lock();
                return http::JsonResponse(http::StatusCode::ok, SessionJson(state, session));
              }));
}

}  // namespace onecard::desk
