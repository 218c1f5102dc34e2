#include "onecard/http/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "onecard/http/response.h"

namespace onecard::http {
namespace {

RawRequest Make(Method method, std::string_view target) { return RawRequest(method, target, 11); }

nlohmann::json Body(const Response& response) { return nlohmann::json::parse(response.body()); }

class HttpRouterTest : public ::testing::Test {
 protected:
  HttpRouterTest() {
    router_.Get("/api/v1/counts/{area}", [](const Request& r) {
      return JsonResponse(StatusCode::ok,
                          {{"area", r.Param("area")}, {"by", r.query().Get("by").value_or("")}});
    });
    router_.Get("/api/v1/counts/total", [](const Request&) {
      return JsonResponse(StatusCode::ok, {{"total", true}});
    });
    router_.Post("/api/v1/counts/{area}", [](const Request& r) {
      return JsonResponse(StatusCode::created, {{"body", r.body()}});
    });
    router_.Get("/", [](const Request&) {
      return MakeResponse(StatusCode::ok, "text/plain; charset=utf-8", "root");
    });
    router_.Get("/boom",
                [](const Request&) -> Response { throw std::runtime_error("secret internals"); });
  }
  Router router_;
};

TEST_F(HttpRouterTest, MatchesParametersDecoded) {
  Response response =
      router_.Dispatch(Make(Method::get, "/api/v1/counts/%E5%B9%BF%E5%B7%9E?by=sex"));
  ASSERT_EQ(response.result(), StatusCode::ok);
  EXPECT_EQ(Body(response)["area"], "广州");
  EXPECT_EQ(Body(response)["by"], "sex");
  EXPECT_EQ(response[beast_http::field::content_type], kJsonType);
}

TEST_F(HttpRouterTest, LiteralBeatsParameter) {
  EXPECT_EQ(Body(router_.Dispatch(Make(Method::get, "/api/v1/counts/total")))["total"], true);
}

TEST_F(HttpRouterTest, UnknownPathIs404) {
  for (const char* target :
       {"/api/v1/counts", "/api/v1/counts/4401/x", "/nothing", "/api/v1/counts/"}) {
    Response response = router_.Dispatch(Make(Method::get, target));
    EXPECT_EQ(response.result(), StatusCode::not_found) << target;
    EXPECT_EQ(Body(response)["error"]["code"], "not_found") << target;
  }
}

TEST_F(HttpRouterTest, WrongMethodIs405WithAllow) {
  Response response = router_.Dispatch(Make(Method::delete_, "/api/v1/counts/4401"));
  EXPECT_EQ(response.result(), StatusCode::method_not_allowed);
  EXPECT_EQ(response[beast_http::field::allow], "GET, HEAD, POST");
  EXPECT_EQ(Body(response)["error"]["code"], "method_not_allowed");
}

TEST_F(HttpRouterTest, HeadAnswersWithGetHeadersAndNoBody) {
  Response get = router_.Dispatch(Make(Method::get, "/"));
  Response head = router_.Dispatch(Make(Method::head, "/"));
  EXPECT_EQ(head.result(), StatusCode::ok);
  EXPECT_EQ(head.body(), "");
  EXPECT_EQ(head[beast_http::field::content_length], get[beast_http::field::content_length]);
  EXPECT_EQ(get.body(), "root");
}

TEST_F(HttpRouterTest, BadTargetIs400WithReason) {
  for (const char* target : {"/api/v1/counts/%ZZ", "/api/v1/counts/%FF", "/a/../b", "*"}) {
    Response response = router_.Dispatch(Make(Method::get, target));
    EXPECT_EQ(response.result(), StatusCode::bad_request) << target;
    EXPECT_EQ(Body(response)["error"]["code"], "bad_request") << target;
    EXPECT_FALSE(Body(response)["error"]["message"].get<std::string>().empty());
  }
}

TEST_F(HttpRouterTest, HandlerExceptionIs500WithoutDetails) {
  Response response = router_.Dispatch(Make(Method::get, "/boom"));
  EXPECT_EQ(response.result(), StatusCode::internal_server_error);
  EXPECT_EQ(response.body().find("secret"), std::string::npos);
}

TEST(HttpRouterDeathTest, MalformedOrDuplicatePatternsAbort) {
  Handler h = [](const Request&) { return Response(); };
  EXPECT_DEATH(Router().Get("no-slash", h), "invariant");
  EXPECT_DEATH(Router().Get("/a/{}", h), "invariant");
  EXPECT_DEATH(Router().Get("/a/{x}/{x}", h), "invariant");
  EXPECT_DEATH(Router().Get("/a/{x}", h).Get("/a/{y}", h), "invariant");
}

TEST(HttpRouterStreamTest, StreamRouteAnswersWithTheChannelOrTheRefusal) {
  auto channel = std::make_shared<EventChannel>();
  Router router;
  router.Stream("/events/{desk}", [&](const Request& r) -> Result<std::shared_ptr<EventChannel>> {
    if (r.Param("desk") != "1") return Status(ErrorCode::kNotFound, "no such desk");
    return channel;
  });
  Routed routed = router.Route(RawRequest(Method::get, "/events/1", 11));
  EXPECT_EQ(routed.events, channel);
  EXPECT_EQ(routed.response.result(), StatusCode::ok);
  EXPECT_EQ(routed.response[beast_http::field::content_type], "text/event-stream; charset=utf-8");
  EXPECT_EQ(routed.response.find(beast_http::field::content_length), routed.response.end());

  Routed refused = router.Route(RawRequest(Method::get, "/events/2", 11));
  EXPECT_EQ(refused.events, nullptr);
  EXPECT_EQ(refused.response.result(), StatusCode::not_found);

  Routed head = router.Route(RawRequest(Method::head, "/events/1", 11));
  EXPECT_EQ(head.events, nullptr);
  EXPECT_EQ(head.response.result(), StatusCode::ok);
  EXPECT_EQ(router.Route(RawRequest(Method::post, "/events/1", 11)).response.result(),
            StatusCode::method_not_allowed);
}

TEST(HttpResponseTest, ErrorResponseFromStatus) {
  Response response = ErrorResponse(Status(ErrorCode::kPermissionDenied, "不在您的辖区"));
  EXPECT_EQ(response.result(), StatusCode::forbidden);
  auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "permission_denied");
  EXPECT_EQ(body["error"]["message"], "不在您的辖区");
}

TEST(HttpResponseTest, CsvResponseIsAnAttachmentWithUtf8Name) {
  Response response = CsvResponse({{"a", "=b"}}, CsvOptions{.utf8_bom = true}, "计数.csv");
  EXPECT_EQ(response[beast_http::field::content_type], kCsvType);
  EXPECT_EQ(response.body(),
            "\xEF\xBB\xBF"
            "a,'=b\r\n");
  std::string disposition(response[beast_http::field::content_disposition]);
  EXPECT_NE(disposition.find("attachment; filename=\"______.csv\""), std::string::npos)
      << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''%E8%AE%A1%E6%95%B0.csv"), std::string::npos)
      << disposition;
}

}  // namespace
}  // namespace onecard::http
