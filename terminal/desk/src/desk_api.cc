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

Result<std::string> TextMember(const nlohmann::json& body, const std::string& key,
                               size_t max_bytes) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status(ErrorCode::kInvalidArgument, Tr(key + " 应为文字", key + " must be a string"))
        .WithField(key);
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (text.size() > max_bytes) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(key + " 太长（最多 " + std::to_string(max_bytes) + " 字节）",
                     key + " is too long (at most " + std::to_string(max_bytes) + " bytes)"))
        .WithField(key);
  }
  return text;
}

void DeskApi::AddRoutes(http::Router& router) {
  AddSessionRoutes(router, state_);
  AddLookupRoutes(router, state_);
  AddChildrenRoutes(router, state_);
  AddCardRoutes(router, state_);
  AddReferralRoutes(router, state_);
  AddSyncRoutes(router, state_);
  AddStaffRoutes(router, state_);
  AddReviewRoutes(router, state_);
}

}  // namespace onecard::desk
