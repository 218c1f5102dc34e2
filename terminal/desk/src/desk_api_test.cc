// The desk's API in process (Router::Dispatch, no sockets): the launch link, the guard, sign-in
// and the idle lock, search, registration with a field's error, the child's page. The desk over a
// real loopback socket and in Chromium: tests/desk/.
#include "onecard/desk/desk_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "desk_state.h"
#include "onecard/http/cookies.h"
#include "onecard/platform/i18n.h"
#include "onecard/platform/test_clock.h"
#include "onecard/testing/registration.h"
#include "test_store_fixture.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
namespace bh = boost::beast::http;

constexpr uint16_t kPort = 40123;
constexpr auto kIdle = std::chrono::minutes(10);

class DeskApiTest : public terminal::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    saved_language_ = CurrentLanguage();
    SetLanguage(Language::kEn);
    clock_.SetWallMs(1'796'083'200'000);  // 2026-12-01
    state_ = std::make_unique<DeskState>(dir_, clock_, kIdle);
    state_->guard.set_port(kPort);
    api_ = std::make_unique<DeskApi>(*state_);
    api_->AddRoutes(router_);
  }
  void TearDown() override {
    SetLanguage(saved_language_);
    api_.reset();
    state_.reset();
    StoreFixture::TearDown();
  }

  http::Response Send(bh::verb method, const std::string& target, const std::string& body = "",
                      bool with_csrf = true, const std::string& host = "127.0.0.1") {
    http::RawRequest request(method, target, 11);
    request.set(bh::field::host, host + ":" + std::to_string(kPort));
    if (!cookie_.empty())
      request.set(bh::field::cookie, std::string(kSessionCookie) + "=" + cookie_);
    if (with_csrf && !csrf_.empty()) request.set(kCsrfHeader, csrf_);
    request.body() = body;
    request.prepare_payload();
    return router_.Dispatch(request, "127.0.0.1");
  }
  static json Body(const http::Response& r) { return json::parse(r.body()); }

  // Redeems the launch link and reads the CSRF token, as the page does.
  void OpenBrowserSession() {
    http::Response opened = Send(bh::verb::get, "/open?secret=" + state_->link.secret());
    ASSERT_EQ(opened.result(), http::StatusCode::see_other);
    const std::string set_cookie(opened[bh::field::set_cookie]);
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    cookie_ = set_cookie.substr(set_cookie.find('=') + 1);
    cookie_ = cookie_.substr(0, cookie_.find(';'));
    http::Response session = Send(bh::verb::get, "/api/session");
    ASSERT_EQ(session.result(), http::StatusCode::ok);
    csrf_ = Body(session)["csrf_token"];
  }
  void SignIn() {
    http::Response r =
        Send(bh::verb::post, "/api/sign-in",
             json{{"user", "chen"}, {"passphrase", terminal::testing::kTestPassphrase}}.dump());
    ASSERT_EQ(r.result(), http::StatusCode::ok) << r.body();
  }

  platform::TestClock clock_;
  std::unique_ptr<DeskState> state_;
  std::unique_ptr<DeskApi> api_;
  http::Router router_;
  std::string cookie_, csrf_;
  Language saved_language_ = Language::kZh;
};

TEST_F(DeskApiTest, TheLaunchLinkOpensOneBrowserSessionOnce) {
  EXPECT_EQ(Send(bh::verb::get, "/api/session").result(), http::StatusCode::unauthorized);
  EXPECT_EQ(Send(bh::verb::get, "/open?secret=00").result(), http::StatusCode::forbidden);
  OpenBrowserSession();
  EXPECT_FALSE(Body(Send(bh::verb::get, "/api/session"))["signed_in"]);
  // The same link again: refused, and the session cookie it gave still works.
  EXPECT_EQ(Send(bh::verb::get, "/open?secret=" + state_->link.secret()).result(),
            http::StatusCode::forbidden);
  EXPECT_EQ(Send(bh::verb::get, "/api/session").result(), http::StatusCode::ok);
}

TEST_F(DeskApiTest, ForeignHostsOriginsAndMissingCsrfTokensAreRefused) {
  OpenBrowserSession();
  // DNS rebinding: another name for 127.0.0.1.
  EXPECT_EQ(Send(bh::verb::get, "/api/session", "", true, "evil.example").result(),
            http::StatusCode::forbidden);
  const std::string sign_in =
      json{{"user", "chen"}, {"passphrase", terminal::testing::kTestPassphrase}}.dump();
  EXPECT_EQ(Send(bh::verb::post, "/api/sign-in", sign_in, /*with_csrf=*/false).result(),
            http::StatusCode::forbidden);
  http::RawRequest cross(bh::verb::post, "/api/lock", 11);
  cross.set(bh::field::host, "127.0.0.1:" + std::to_string(kPort));
  cross.set(bh::field::origin, "http://evil.example");
  cross.set(bh::field::cookie, std::string(kSessionCookie) + "=" + cookie_);
  cross.set(kCsrfHeader, csrf_);
  EXPECT_EQ(router_.Dispatch(cross).result(), http::StatusCode::forbidden);
  EXPECT_FALSE(state_->store.Current());
}

TEST_F(DeskApiTest, SignInLockAndTheIdleLimit) {
  OpenBrowserSession();
  http::Response wrong = Send(bh::verb::post, "/api/sign-in",
                              json{{"user", "chen"}, {"passphrase", "not-it-at-all"}}.dump());
  EXPECT_EQ(wrong.result(), http::StatusCode::unauthorized);
  EXPECT_EQ(Send(bh::verb::get, "/api/children?q=x").result(), http::StatusCode::unauthorized);
  SignIn();
  json session = Body(Send(bh::verb::get, "/api/session"));
  EXPECT_EQ(session["user"], "chen");
  EXPECT_EQ(session["role"], "supervisor");
  EXPECT_EQ(session["terminal_id"], "GD-T1");
  EXPECT_EQ(Send(bh::verb::get, "/api/children?q=x").result(), http::StatusCode::ok);
  clock_.Advance(kIdle);  // no request for the idle limit: locked
  http::Response locked = Send(bh::verb::get, "/api/children?q=x");
  EXPECT_EQ(locked.result(), http::StatusCode::unauthorized);
  EXPECT_EQ(Body(locked)["error"]["message"], "the desk is locked: sign in");
  SignIn();
  EXPECT_EQ(Send(bh::verb::post, "/api/lock").result(), http::StatusCode::ok);
  EXPECT_EQ(Send(bh::verb::get, "/api/children?q=x").result(), http::StatusCode::unauthorized);
}

TEST_F(DeskApiTest, RegistrationErrorsNameTheFieldAndTheChildPageFollows) {
  OpenBrowserSession();
  SignIn();
  json record = testing::MigrantRegistration("刘小明");
  record["guardians"][0]["phone"] = "12";
  http::Response bad = Send(bh::verb::post, "/api/children", record.dump());
  EXPECT_EQ(bad.result(), http::StatusCode::bad_request);
  EXPECT_EQ(Body(bad)["error"]["field"], "guardians[0].phone") << bad.body();
  EXPECT_EQ(Send(bh::verb::post, "/api/children", "{not json").result(),
            http::StatusCode::bad_request);

  record["guardians"][0]["phone"] = "13912345678";
  http::Response made = Send(bh::verb::post, "/api/children", record.dump());
  ASSERT_EQ(made.result(), http::StatusCode::ok) << made.body();
  const std::string child_id = Body(made)["child_id"];

  json found = Body(Send(bh::verb::get, "/api/children?q=liu%20xiaoming"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["child_id"], child_id);
  EXPECT_FALSE(found[0].contains("record_stamp"));

  json page = Body(Send(bh::verb::get, "/api/children/" + child_id));
  EXPECT_EQ(page["record"]["name"], "刘小明");
  EXPECT_TRUE(page["doses"]["overdue"].is_array());
  EXPECT_EQ(page["area_names"], (json{{"321324", "泗洪县"}, {"440306", "宝安区"}}));
  EXPECT_EQ(Send(bh::verb::get, "/api/children/GD-T1-999").result(), http::StatusCode::not_found);

  http::Response changed =
      Send(bh::verb::put, "/api/children/" + child_id, json{{"name", "刘晓明"}}.dump());
  ASSERT_EQ(changed.result(), http::StatusCode::ok) << changed.body();
  EXPECT_EQ(Body(changed)["record"]["name"], "刘晓明");
}

}  // namespace
}  // namespace onecard::desk
