#include "desk_guard.h"

#include "onecard/http/message.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"

namespace onecard::desk {
namespace {

Status Foreign() {
  return Status(ErrorCode::kPermissionDenied, Tr("请求不是来自本机登记台的页面",
                                                 "the request did not come from the desk's pages"));
}

}  // namespace

bool DeskGuard::IsOwnAuthority(std::string_view host_and_port) const {
  const uint16_t port = port_;
  if (port == 0) return false;
  const std::string suffix = ":" + std::to_string(port);
  for (const char* host : {"127.0.0.1", "localhost", "[::1]"}) {
    if (host_and_port == std::string(host) + suffix) return true;
  }
  return false;
}

Status DeskGuard::CheckHost(const http::Request& request) const {
  if (IsOwnAuthority(request.Header(http::beast_http::field::host))) return Status::Ok();
  return Foreign();
}

Result<BrowserSession> DeskGuard::Check(const http::Request& request) const {
  RETURN_IF_ERROR(CheckHost(request));
  auto cookie = request.cookies().find(kSessionCookie);
  std::optional<BrowserSession> session;
  if (cookie != request.cookies().end()) session = sessions_.Find(cookie->second);
  if (!session) {
    return Status(ErrorCode::kUnauthenticated,
                  Tr("请用 onecard-terminal desk 显示的链接打开登记台",
                     "open the desk with the link onecard-terminal desk shows"));
  }
  if (!request.ChangesState()) return *session;
  const std::string_view origin = request.Header(http::beast_http::field::origin);
  constexpr std::string_view kScheme = "http://";
  if (!origin.empty() &&
      (!origin.starts_with(kScheme) || !IsOwnAuthority(origin.substr(kScheme.size())))) {
    return Foreign();
  }
  if (!SecretsEqual(request.raw()[kCsrfHeader], session->csrf_token)) return Foreign();
  return *session;
}

}  // namespace onecard::desk
