#include "onecard/desk/desk_api.h"

#include "desk_routes.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/i18n.h"

namespace onecard::desk {

http::Handler Guarded(DeskState& state, GuardedHandler handler) {
  return [&state, handler = std::move(handler)](const http::Request& request) {
    Result<BrowserSession> session = state.guard.Check(request);
    if (!session.ok()) return http::ErrorResponse(session.status());
    return handler(request, *session);
  };
}

http::Response JsonOrError(const Result<nlohmann::json>& result) {
  if (!result.ok()) return http::ErrorResponse(result.status());
  return http::JsonResponse(http::StatusCode::ok, *result);
}

Result<nlohmann::json> BodyObject(const http::Request& request) {
  ASSIGN_OR_RETURN(nlohmann::json body, ParseJson(request.body(), Tr("请求", "the request")));
  if (!body.is_object()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请求内容应为 JSON 对象", "the request body must be a JSON object"));
  }
  return body;
}

void DeskApi::AddRoutes(http::Router& router) {
  AddSessionRoutes(router, state_);
  AddChildrenRoutes(router, state_);
}

}  // namespace onecard::desk
