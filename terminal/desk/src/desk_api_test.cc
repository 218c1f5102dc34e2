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
    state_ = std::make_unique<DeskState>(dir_, clock_, kIdle, "", std::chrono::seconds(0));
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

TEST_F(DeskApiTest, TheFormLooksUpAreasSitesAndPossibleDuplicates) {
  OpenBrowserSession();
  SignIn();
  json provinces = Body(Send(bh::verb::get, "/api/areas"));
  ASSERT_GE(provinces.size(), 31u);
  EXPECT_EQ(provinces[0], (json{{"code", "110000"}, {"name", "北京市"}}));
  json counties = Body(Send(bh::verb::get, "/api/areas?under=440300"));
  bool baoan = false;
  for (const json& a : counties) baoan |= a["code"] == "440306" && a["name"] == "宝安区";
  EXPECT_TRUE(baoan) << counties.dump();
  http::Response bad = Send(bh::verb::get, "/api/areas?under=99");
  EXPECT_EQ(bad.result(), http::StatusCode::bad_request);
  EXPECT_EQ(Body(bad)["error"]["field"], "under");

  json sites = Body(Send(bh::verb::get, "/api/sites"));
  ASSERT_FALSE(sites.empty());
  EXPECT_TRUE(sites[0]["is_own"].get<bool>());
  EXPECT_FALSE(sites[0]["site_id"].get<std::string>().empty());

  json record = testing::LeftBehindRegistration("王小明");
  ASSERT_EQ(Send(bh::verb::post, "/api/children", record.dump()).result(), http::StatusCode::ok);
  const std::string id_number = record["id_number"];
  // The same ID number under another name; the same name (in other characters, read alike) and
  // birth date without it; and a stranger.
  json by_id = Body(Send(bh::verb::get,
                         "/api/children/possible-duplicates?name=%E5%BC%A0%E4%B8%89"
                         "&id_number=" +
                             id_number + "&birth_date=2016-03-15"));
  ASSERT_EQ(by_id.size(), 1u) << by_id.dump();
  EXPECT_EQ(by_id[0]["reasons"], (json{"id_number", "birth_date"}));
  EXPECT_EQ(by_id[0]["record"]["area_names"]["321324"], "泗洪县");
  // 王晓明 (xiao of 晓) reads as 王小明.
  json by_name = Body(Send(bh::verb::get,
                           "/api/children/possible-duplicates?name=%E7%8E%8B%E6%99%93%E6%98%8E"
                           "&birth_date=2016-03-15"));
  ASSERT_EQ(by_name.size(), 1u) << by_name.dump();
  EXPECT_EQ(by_name[0]["reasons"], (json{"name", "birth_date"}));
  EXPECT_TRUE(Body(Send(bh::verb::get, "/api/children/possible-duplicates?name=%E6%9D%8E%E5%9B%9B"))
                  .empty());
  EXPECT_TRUE(Body(Send(bh::verb::get, "/api/children/possible-duplicates")).empty());
}

TEST_F(DeskApiTest, ReferralsAreMadeAnsweredAndListedWithTheirChild) {
  OpenBrowserSession();
  SignIn();
  http::Response made =
      Send(bh::verb::post, "/api/children", testing::MigrantRegistration("刘小明").dump());
  ASSERT_EQ(made.result(), http::StatusCode::ok) << made.body();
  const std::string child_id = Body(made)["child_id"];
  const std::string own = Body(Send(bh::verb::get, "/api/sites"))[0]["site_id"];
  const std::string refer = "/api/children/" + child_id + "/referrals";

  http::Response no_service =
      Send(bh::verb::post, refer, json{{"service", "x"}, {"to_site", own}, {"reason", "r"}}.dump());
  EXPECT_EQ(Body(no_service)["error"]["field"], "service");
  http::Response no_reason =
      Send(bh::verb::post, refer, json{{"service", "health"}, {"to_site", own}}.dump());
  EXPECT_EQ(Body(no_reason)["error"]["field"], "reason");
  http::Response unknown_site =
      Send(bh::verb::post, refer,
           json{{"service", "health"}, {"to_site", "NOWHERE"}, {"reason", "疫苗逾期"}}.dump());
  EXPECT_EQ(unknown_site.result(), http::StatusCode::not_found) << unknown_site.body();

  http::Response referred =
      Send(bh::verb::post, refer,
           json{{"service", "health"}, {"to_site", own}, {"reason", "疫苗逾期"}}.dump());
  ASSERT_EQ(referred.result(), http::StatusCode::ok) << referred.body();
  const std::string referral_id = Body(referred)["referral_id"];

  json lists = Body(Send(bh::verb::get, "/api/referrals"));
  ASSERT_EQ(lists["for_this_site"].size(), 1u);
  EXPECT_EQ(lists["for_this_site"][0]["child_name"], "刘小明");
  EXPECT_EQ(lists["for_this_site"][0]["status"], "open");
  EXPECT_EQ(lists["made_here"].size(), 1u);

  const std::string move = "/api/referrals/" + referral_id + "/";
  http::Response no_code = Send(bh::verb::post, move + "decline", json{{"note", "满了"}}.dump());
  EXPECT_EQ(no_code.result(), http::StatusCode::bad_request);
  EXPECT_EQ(Body(no_code)["error"]["field"], "reason");
  http::Response accepted = Send(bh::verb::post, move + "accept", "{}");
  ASSERT_EQ(accepted.result(), http::StatusCode::ok) << accepted.body();
  EXPECT_EQ(Body(accepted)["status"], "accepted");
  http::Response completed =
      Send(bh::verb::post, move + "complete", json{{"note", "已补种"}}.dump());
  ASSERT_EQ(completed.result(), http::StatusCode::ok) << completed.body();
  EXPECT_EQ(Body(completed)["outcome"], "已补种");
  EXPECT_EQ(Send(bh::verb::post, move + "accept", "{}").result(), http::StatusCode::conflict);

  json page = Body(Send(bh::verb::get, "/api/children/" + child_id));
  ASSERT_EQ(page["referrals"].size(), 1u);
  EXPECT_EQ(page["referrals"][0]["status"], "completed");
  EXPECT_EQ(page["card"]["serial"], "");
}

TEST_F(DeskApiTest, TheOverdueWorklistListsChildrenMissingADose) {
  OpenBrowserSession();
  SignIn();
  // Born 2016 and no dose recorded: everything of the schedule is overdue on 2026-12-01.
  json missing = testing::MigrantRegistration("刘小明");
  const std::string missing_id =
      Body(Send(bh::verb::post, "/api/children", missing.dump()))["child_id"];
  json worklist = Body(Send(bh::verb::get, "/api/worklists/overdue"));
  ASSERT_EQ(worklist.size(), 1u) << worklist.dump();
  EXPECT_EQ(worklist[0]["child_id"], missing_id);
  EXPECT_EQ(worklist[0]["name"], "刘小明");
  EXPECT_FALSE(worklist[0]["overdue"].empty());
  EXPECT_FALSE(worklist[0]["open_health_referral"].get<bool>());
  EXPECT_FALSE(worklist[0]["overdue"][0]["vaccine"].get<std::string>().empty());

  const std::string own = Body(Send(bh::verb::get, "/api/sites"))[0]["site_id"];
  ASSERT_EQ(Send(bh::verb::post, "/api/children/" + missing_id + "/referrals",
                 json{{"service", "health"}, {"to_site", own}, {"reason", "逾期"}}.dump())
                .result(),
            http::StatusCode::ok);
  worklist = Body(Send(bh::verb::get, "/api/worklists/overdue"));
  EXPECT_TRUE(worklist[0]["open_health_referral"].get<bool>());
}

TEST_F(DeskApiTest, ASyncThatCannotReachTheServerSaysWhyAndCountsWhatWaits) {
  OpenBrowserSession();
  EXPECT_EQ(Send(bh::verb::post, "/api/sync").result(), http::StatusCode::unauthorized);
  SignIn();
  ASSERT_EQ(
      Send(bh::verb::post, "/api/children", testing::MigrantRegistration("刘小明").dump()).result(),
      http::StatusCode::ok);
  json before = Body(Send(bh::verb::get, "/api/sync"));
  EXPECT_EQ(before["state"], "idle");
  EXPECT_EQ(before["waiting"], 1);
  EXPECT_EQ(before["last_success_at"], "");
  http::Response ran = Send(bh::verb::post, "/api/sync");
  ASSERT_EQ(ran.result(), http::StatusCode::ok) << ran.body();
  json after = Body(ran);
  EXPECT_NE(after["last_error"], "");  // no server listens at the test bundle's address
  EXPECT_NE(after["last_attempt_at"], "");
  EXPECT_EQ(after["last_success_at"], "");
  EXPECT_EQ(after["waiting"], 1);
}

TEST_F(DeskApiTest, ACardWriteWithoutAReaderFailsWithItsReasonAndNamesABadAction) {
  OpenBrowserSession();
  SignIn();
  const std::string child_id = Body(Send(
      bh::verb::post, "/api/children", testing::MigrantRegistration("刘小明").dump()))["child_id"];
  const std::string card = "/api/children/" + child_id + "/card";
  http::Response bad = Send(bh::verb::post, card, json{{"action", "format"}}.dump());
  EXPECT_EQ(bad.result(), http::StatusCode::bad_request);
  EXPECT_EQ(Body(bad)["error"]["field"], "action");
  http::Response replace = Send(bh::verb::post, card, json{{"action", "replace"}}.dump());
  EXPECT_EQ(replace.result(), http::StatusCode::conflict) << replace.body();  // no card yet
  EXPECT_NE(Body(replace)["error"]["message"].get<std::string>().find("no card yet"),
            std::string::npos);
}

TEST_F(DeskApiTest, ASupervisorAddsDisablesAndResetsStaffAndChecksTheAuditChain) {
  OpenBrowserSession();
  SignIn();  // chen, supervisor
  http::Response no_role = Send(bh::verb::post, "/api/staff",
                                json{{"name", "li"}, {"passphrase", "longenough1"}}.dump());
  EXPECT_EQ(Body(no_role)["error"]["field"], "role");
  http::Response short_pass =
      Send(bh::verb::post, "/api/staff",
           json{{"name", "li"}, {"role", "registrar"}, {"passphrase", "short"}}.dump());
  EXPECT_EQ(short_pass.result(), http::StatusCode::bad_request);
  EXPECT_EQ(Body(short_pass)["error"]["field"], "passphrase");
  http::Response added =
      Send(bh::verb::post, "/api/staff",
           json{{"name", "li"}, {"role", "registrar"}, {"passphrase", "li-first-pass"}}.dump());
  ASSERT_EQ(added.result(), http::StatusCode::ok) << added.body();
  ASSERT_EQ(Body(added).size(), 2u);
  EXPECT_EQ(Body(added)[1]["name"], "li");
  EXPECT_EQ(Body(added)[1]["disabled_at"], "");

  // li forgot: a new passphrase from the supervisor opens the desk, the old one does not.
  ASSERT_EQ(
      Send(bh::verb::post, "/api/staff/li/reset", json{{"passphrase", "li-second-pass"}}.dump())
          .result(),
      http::StatusCode::ok);
  auto sign_in = [&](const std::string& user, const std::string& passphrase) {
    return Send(bh::verb::post, "/api/sign-in",
                json{{"user", user}, {"passphrase", passphrase}}.dump())
        .result();
  };
  EXPECT_EQ(sign_in("li", "li-first-pass"), http::StatusCode::unauthorized);
  EXPECT_EQ(sign_in("li", "li-second-pass"), http::StatusCode::ok);
  // A registrar may not manage staff.
  EXPECT_EQ(Send(bh::verb::get, "/api/staff").result(), http::StatusCode::forbidden);

  SignIn();
  EXPECT_EQ(Send(bh::verb::post, "/api/staff/chen/disable").result(), http::StatusCode::conflict);
  http::Response disabled = Send(bh::verb::post, "/api/staff/li/disable");
  ASSERT_EQ(disabled.result(), http::StatusCode::ok) << disabled.body();
  EXPECT_NE(Body(disabled)[1]["disabled_at"], "");
  EXPECT_EQ(Send(bh::verb::post, "/api/staff/nobody/disable").result(),
            http::StatusCode::not_found);
  EXPECT_EQ(sign_in("li", "li-second-pass"), http::StatusCode::unauthorized);

  SignIn();
  json audit = Body(Send(bh::verb::get, "/api/audit/verify"));
  EXPECT_TRUE(audit["intact"].get<bool>()) << audit.dump();
  EXPECT_GE(audit["entries"].get<int>(), 3);  // staff.add, staff.reset, staff.disable at least
}

TEST_F(DeskApiTest, TheReviewRoutesAnswerAsTheCommandsDoAndRefuseBadInput) {
  OpenBrowserSession();
  SignIn();
  EXPECT_EQ(Body(Send(bh::verb::get, "/api/conflicts")), json::array());
  EXPECT_EQ(Body(Send(bh::verb::get, "/api/review")), json::array());
  const std::string child_id = Body(Send(
      bh::verb::post, "/api/children", testing::MigrantRegistration("刘小明").dump()))["child_id"];
  const std::string resolve = "/api/children/" + child_id + "/conflicts/resolve";
  http::Response no_value = Send(bh::verb::post, resolve, json{{"field", "name"}}.dump());
  EXPECT_EQ(Body(no_value)["error"]["field"], "value_from");
  http::Response none =
      Send(bh::verb::post, resolve, json{{"field", "name"}, {"value_from", "GD-T1"}}.dump());
  EXPECT_EQ(none.result(), http::StatusCode::conflict) << none.body();  // no open conflict
  http::Response unknown = Send(bh::verb::post, "/api/review/GD-T1-1/GD-T1-99/merge");
  EXPECT_NE(unknown.result(), http::StatusCode::ok) << unknown.body();
}

}  // namespace
}  // namespace onecard::desk
