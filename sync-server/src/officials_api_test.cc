// The officials' HTTPS API over real TLS on loopback: the real service (OfficialsHttpService on
// net/http), a real server store, the net/http test client. Time moves only on the test clock.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cell_key.h"
#include "https_test_client.h"
#include "officials_http_service.h"
#include "onecard/http/security_headers.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/protocol/totp.h"
#include "onecard/server/accounts.h"
#include "report_json.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using namespace std::chrono_literals;
using http::Method;
using http::RawRequest;
using http::Response;
namespace field = http::beast_http;

constexpr char kPassword[] = "correct horse battery";

class OfficialsApiTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CreateTwoSiteStore());
    // Seven boys registered in Bao'an (440306) with their hukou in Sihong (321324), one girl.
    // Different names and birth dates, so that identity resolution keeps them eight persons.
    const char* boys[] = {"张伟", "李强", "王磊", "刘洋", "陈杰", "杨帆", "赵勇"};
    for (int i = 1; i <= 7; ++i) {
      Put("T2", i, i, "T2-" + std::to_string(i),
          NewChild(boys[i - 1], "440306",
                   std::to_string(2010 + i) + "-0" + std::to_string(i) + "-1" + std::to_string(i)));
    }
    nlohmann::json girl = NewChild("周敏", "440306", "2019-09-09");
    girl["sex"] = "F";
    Put("T2", 8, 8, "T2-8", girl);
    AddAccountOrDie({"gd.official", "official", "4403"});
    AddAccountOrDie({"js.official", "official", "3213"});
    admin_key_ = AddAccountOrDie({"root.admin", "admin", "44"});
    auto tls = LoadServerTls(*store_);
    ASSERT_TRUE(tls.ok()) << tls.status().message();
    ca_pem_ = tls->ca_cert_pem;
    service_ = std::make_unique<OfficialsHttpService>(*store_, *store_, clock_);
    auto port = service_->Start("127.0.0.1", 0, tls->cert_pem, tls->key_pem);
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
  }
  void TearDown() override {
    service_.reset();
    ServerStoreFixture::TearDown();
  }

  SecretBytes AddAccountOrDie(const NewAccount& account) {
    auto key = AddAccount(*store_, account, kPassword);
    EXPECT_TRUE(key.ok()) << key.status().message();
    return key.ok() ? std::move(key).value() : SecretBytes();
  }

  // One request on a fresh connection; a transport failure fails the test.
  Response Call(Method method, const std::string& target, const std::string& body = "",
                const std::string& session = "", const std::string& csrf = "") {
    http::testing::HttpsTestClient client(port_, ca_pem_);
    EXPECT_TRUE(client.Connect().ok());
    RawRequest request(method, target, 11);
    if (!body.empty()) {
      request.set(field::field::content_type, "application/json");
      request.body() = body;
    }
    if (!session.empty())
      request.set(field::field::cookie, std::string(kSessionCookie) + "=" + session);
    if (!csrf.empty()) request.set(kCsrfHeader, csrf);
    auto response = client.Send(std::move(request));
    EXPECT_TRUE(response.ok()) << response.status().message();
    return response.ok() ? std::move(response).value() : Response();
  }

  Response SignIn(const std::string& user, const std::string& password = kPassword,
                  std::optional<std::string> totp = std::nullopt) {
    nlohmann::json body = {{"user", user}, {"password", password}};
    if (totp) body["totp"] = *totp;
    return Call(Method::post, "/api/v1/session", body.dump());
  }

  // Signs in and returns {session token, CSRF token}.
  std::pair<std::string, std::string> SessionOf(const std::string& user) {
    Response r = SignIn(user);
    EXPECT_EQ(r.result_int(), 200u) << r.body();
    return {CookieValue(r), nlohmann::json::parse(r.body()).value("csrf_token", "")};
  }

  static std::string CookieValue(const Response& r) {
    std::string cookie(r[field::field::set_cookie]);
    const std::string prefix = std::string(kSessionCookie) + "=";
    if (!cookie.starts_with(prefix)) return "";
    return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
  }

  static std::string ErrorCodeOf(const Response& r) {
    auto body = nlohmann::json::parse(r.body(), nullptr, false);
    return body.is_object() ? body["error"].value("code", "") : "";
  }

  // Six of the boys go home to Sihong (321324) on 2 March 2026 (China time).
  void SixBoysGoHome() {
    for (int i = 1; i <= 6; ++i) {
      Put("T2", 8 + i, 1772416800000 + i, "T2-" + std::to_string(i),  // 2026-03-02T02:00:00Z
          {{"residence_area", "321324"}, {"category", "other"}});
    }
  }

  // What the API answers `session` for the flows into and out of 4403 in March 2026 at the levels
  // of `by` (`--by` text), checked to be what the command line shows (the store's report as JSON).
  nlohmann::json MarchFlowsOf4403(const std::string& by, const std::string& session) {
    FlowsQuery q;
    q.area_prefix = "4403";
    q.from = "2026-03-01";
    q.to = "2026-03-31";
    EXPECT_TRUE(ParseFlowLevels(by, q).ok()) << by;
    auto cli = static_cast<ReportStore&>(*store_).Flows(q);
    EXPECT_TRUE(cli.ok()) << cli.status().message();
    Response r = Call(Method::get, "/api/v1/flows?area=4403&from=2026-03-01&to=2026-03-31&by=" + by,
                      "", session);
    EXPECT_EQ(r.result_int(), 200u) << r.body();
    auto body = nlohmann::json::parse(r.body(), nullptr, /*allow_exceptions=*/false);
    if (cli.ok()) {
      EXPECT_EQ(body, nlohmann::json::parse(ToJson(*cli).dump()));
    }
    return body;
  }

  std::vector<ApiAuditEntry> Audit() {
    auto entries = store_->ApiAudit("", 0);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? *entries : std::vector<ApiAuditEntry>();
  }

  platform::TestClock clock_;
  std::unique_ptr<OfficialsHttpService> service_;
  std::string ca_pem_;
  uint16_t port_ = 0;
  SecretBytes admin_key_;
};

// A figure published for `true_count` persons (docs/disclosure-control.md): none (shown "<5") when
// the perturbed count is below 5, else at least 5 and within the perturbation's bound (4) of the
// true count. Either way a true count of 1-4 is never what is shown.
void ExpectProtected(const nlohmann::json& published, int true_count) {
  if (published.is_null()) {
    EXPECT_LT(true_count, kSmallCell + kMaxNoise) << "a count this large is never hidden";
    return;
  }
  ASSERT_TRUE(published.is_number_integer()) << published.dump();
  const int shown = published.get<int>();
  EXPECT_GE(shown, kSmallCell);
  EXPECT_LE(std::abs(shown - true_count), kMaxNoise) << "shown " << shown << " for " << true_count;
}

TEST_F(OfficialsApiTest, SignInSetsASecureSessionCookie) {
  Response r = SignIn("gd.official");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const std::string cookie(r[field::field::set_cookie]);
  EXPECT_EQ(CookieValue(r).size(), 64u) << cookie;
  for (const char* flag : {"Path=/", "Secure", "HttpOnly", "SameSite=Strict"}) {
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag << " missing from " << cookie;
  }
  auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body["user"], "gd.official");
  EXPECT_EQ(body["area"], "4403");
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(body["idle_timeout_seconds"], 1800);
  // The security headers of every answer.
  EXPECT_NE(r[field::field::strict_transport_security].find("max-age="), std::string::npos);
  EXPECT_NE(r["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r["Content-Security-Policy"].find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r["X-Frame-Options"], "DENY");
  EXPECT_EQ(r[field::field::cache_control], "no-store");
}

// The dashboard is served by the same listener: GET / is its page, its files (ECharts included,
// from the program itself) under /dashboard/, under the strict CSP; the API's routes are as before.
TEST_F(OfficialsApiTest, DashboardIsServedBesideTheApi) {
  Response page = Call(Method::get, "/");
  EXPECT_EQ(page.result_int(), 200u);
  EXPECT_EQ(page[field::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(page.body().find(R"(<script type="module" src="/dashboard/js/app.js">)"),
            std::string::npos);
  EXPECT_EQ(page.body().find("<script>"), std::string::npos) << "no inline script";
  EXPECT_EQ(page.body().find("style=\""), std::string::npos) << "no inline style";
  EXPECT_EQ(page["Content-Security-Policy"], http::kContentSecurityPolicy);
  EXPECT_EQ(Call(Method::get, "/dashboard/index.html").body(), page.body());

  Response echarts = Call(Method::get, "/dashboard/vendor/echarts.min.js");
  EXPECT_EQ(echarts.result_int(), 200u);
  EXPECT_EQ(echarts[field::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_GT(echarts.body().size(), 500'000u);
  EXPECT_EQ(Call(Method::get, "/dashboard/js/app.js").result_int(), 200u);
  EXPECT_EQ(Call(Method::get, "/dashboard/no-such-file.js").result_int(), 404u);

  EXPECT_EQ(ErrorCodeOf(Call(Method::get, "/api/v1/counts")), "unauthenticated");
  EXPECT_EQ(Audit().size(), 1u) << "the API is audited, the dashboard's files are not";
}

TEST_F(OfficialsApiTest, CountsAreTheCliNumbersWithoutExact) {
  auto [session, csrf] = SessionOf("gd.official");
  Response r = Call(Method::get, "/api/v1/counts?area=4403&by=sex", "", session);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r[field::field::cache_control], "no-store");
  auto cli = store_->Counts(CountsQuery{"4403", false, {"sex"}, false, ""});
  ASSERT_TRUE(cli.ok());
  auto api = nlohmann::ordered_json::parse(r.body());
  auto expected = ToJson(*cli);
  api.erase("as_of");
  expected.erase("as_of");
  EXPECT_EQ(api, expected);
  // One girl and seven boys, published through cell key perturbation: no true 1-4 is shown.
  ExpectProtected(api["total"], 8);
  ExpectProtected(api["groups"][0]["count"], 1);  // F
  ExpectProtected(api["groups"][1]["count"], 7);  // M
  EXPECT_EQ(api["groups"][0].contains("suppressed"), api["groups"][0]["count"].is_null());
}

TEST_F(OfficialsApiTest, WrongPasswordIsRefusedAndAudited) {
  Response r = SignIn("gd.official", "not the password at all");
  EXPECT_EQ(r.result_int(), 401u);
  EXPECT_EQ(ErrorCodeOf(r), "invalid_credentials");
  EXPECT_TRUE(r[field::field::set_cookie].empty());
  // An unknown account gets the same answer.
  Response unknown = SignIn("nobody", kPassword);
  EXPECT_EQ(unknown.result_int(), 401u);
  EXPECT_EQ(ErrorCodeOf(unknown), "invalid_credentials");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].user_name, "gd.official");
  EXPECT_EQ(audit[0].method, "POST");
  EXPECT_EQ(audit[0].target, "/api/v1/session");
  EXPECT_EQ(audit[0].status, 401);
}

TEST_F(OfficialsApiTest, RepeatedFailuresAreSlowedThenLockTheAccount) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(SignIn("gd.official", "wrong password " + std::to_string(i)).result_int(), 401u);
  Response limited = SignIn("gd.official", "wrong password 3");
  EXPECT_EQ(limited.result_int(), 429u);
  EXPECT_EQ(ErrorCodeOf(limited), "rate_limited");
  EXPECT_EQ(limited[field::field::retry_after], "30");
  clock_.Advance(31s);
  EXPECT_EQ(SignIn("gd.official", "wrong password 4").result_int(), 401u);  // 4th failure
  clock_.Advance(31s);
  EXPECT_EQ(SignIn("gd.official", "wrong password 5").result_int(), 401u);  // 5th: locked
  clock_.Advance(31s);
  Response locked = SignIn("gd.official");  // even the right password
  EXPECT_EQ(locked.result_int(), 429u);
  EXPECT_EQ(ErrorCodeOf(locked), "account_locked");
  EXPECT_EQ(locked[field::field::retry_after], std::to_string(15 * 60 - 31));
  clock_.Advance(15min);
  EXPECT_EQ(SignIn("gd.official").result_int(), 200u);
  // A success resets the count: one failure now costs nothing more.
  EXPECT_EQ(SignIn("gd.official", "wrong password 6").result_int(), 401u);
  EXPECT_EQ(SignIn("gd.official").result_int(), 200u);
}

// Across accounts, per client address: a few guesses at each of many accounts stay under every
// account's limit, but not under the address's (20 in 15 minutes; here all from 127.0.0.1).
TEST_F(OfficialsApiTest, ManyAccountsTriedFromOneAddressAreSlowed) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(SignIn("guess." + std::to_string(i), "wrong password").result_int(), 401u) << i;
    clock_.Advance(1s);
  }
  Response limited = SignIn("gd.official");  // even the right password of a real account
  EXPECT_EQ(limited.result_int(), 429u);
  EXPECT_EQ(ErrorCodeOf(limited), "rate_limited");
  EXPECT_EQ(limited[field::field::retry_after], std::to_string(15 * 60 - 20));
  clock_.Advance(15min - 20s);  // the first failure leaves the window: one more attempt
  EXPECT_EQ(SignIn("gd.official").result_int(), 200u);
}

TEST_F(OfficialsApiTest, AdminNeedsAOneTimeCode) {
  ASSERT_FALSE(admin_key_.empty());
  Response without = SignIn("root.admin");
  EXPECT_EQ(without.result_int(), 401u);
  EXPECT_EQ(ErrorCodeOf(without), "totp_required");
  const std::string code = Totp(admin_key_.span(), clock_.WallSeconds());
  const std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(SignIn("root.admin", kPassword, wrong).result_int(), 401u);
  EXPECT_EQ(SignIn("root.admin", "wrong password!!", code).result_int(), 401u);
  Response ok = SignIn("root.admin", kPassword, code);
  EXPECT_EQ(ok.result_int(), 200u) << ok.body();
  // The same code is never accepted twice.
  EXPECT_EQ(SignIn("root.admin", kPassword, code).result_int(), 401u);
  clock_.Advance(30s);
  EXPECT_EQ(
      SignIn("root.admin", kPassword, Totp(admin_key_.span(), clock_.WallSeconds())).result_int(),
      200u);
}

TEST_F(OfficialsApiTest, WithoutASessionEveryDataRouteIs401) {
  for (const char* target : {"/api/v1/counts?area=4403", "/api/v1/counts.csv",
                             "/api/v1/referrals/stats", "/api/v1/areas", "/api/v1/session"}) {
    Response r = Call(Method::get, target);
    EXPECT_EQ(r.result_int(), 401u) << target;
    EXPECT_EQ(ErrorCodeOf(r), "unauthenticated") << target;
  }
  Response forged = Call(Method::get, "/api/v1/counts", "", std::string(64, 'a'));
  EXPECT_EQ(forged.result_int(), 401u);
  EXPECT_NE(forged[field::field::set_cookie].find("Max-Age=0"), std::string::npos);
}

TEST_F(OfficialsApiTest, JurisdictionIsEnforcedAtTheServer) {
  auto [gd, gd_csrf] = SessionOf("gd.official");
  for (const char* target :
       {"/api/v1/counts?area=3213", "/api/v1/counts?area=44", "/api/v1/counts?area=32&moved_out=1",
        "/api/v1/referrals/stats?area=3213"}) {
    Response r = Call(Method::get, target, "", gd);
    EXPECT_EQ(r.result_int(), 403u) << target;
    EXPECT_EQ(ErrorCodeOf(r), "outside_jurisdiction") << target;
  }
  EXPECT_EQ(Call(Method::get, "/api/v1/counts?area=440306", "", gd).result_int(), 200u);
  // The sending area's official sees the children of its hukou area who moved out, and where to.
  auto [js, js_csrf] = SessionOf("js.official");
  Response moved =
      Call(Method::get, "/api/v1/counts?area=3213&moved_out=1&by=residence_area:4", "", js);
  ASSERT_EQ(moved.result_int(), 200u) << moved.body();
  auto body = nlohmann::json::parse(moved.body());
  EXPECT_EQ(body["moved_out"], true);
  ExpectProtected(body["total"], 8);
  ASSERT_EQ(body["groups"].size(), 1u);
  EXPECT_EQ(body["groups"][0]["residence_area:4"], "4403") << body.dump();
  // The same eight children as the total: the same cell key, the same published figure.
  EXPECT_EQ(body["groups"][0]["count"], body["total"]);
  EXPECT_EQ(Call(Method::get, "/api/v1/counts?area=4403", "", js).result_int(), 403u);
}

TEST_F(OfficialsApiTest, StateChangesNeedTheCsrfTokenAndOwnOrigin) {
  auto [session, csrf] = SessionOf("gd.official");
  Response none = Call(Method::delete_, "/api/v1/session", "", session);
  EXPECT_EQ(none.result_int(), 403u);
  EXPECT_EQ(ErrorCodeOf(none), "csrf");
  Response wrong = Call(Method::delete_, "/api/v1/session", "", session, std::string(64, '0'));
  EXPECT_EQ(ErrorCodeOf(wrong), "csrf");
  {
    http::testing::HttpsTestClient client(port_, ca_pem_);
    ASSERT_TRUE(client.Connect().ok());
    RawRequest request(Method::delete_, "/api/v1/session", 11);
    request.set(field::field::cookie, std::string(kSessionCookie) + "=" + session);
    request.set(kCsrfHeader, csrf);
    request.set(field::field::origin, "https://evil.example");
    auto r = client.Send(std::move(request));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->result_int(), 403u);
    EXPECT_EQ(ErrorCodeOf(*r), "cross_origin");
  }
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 200u);  // still valid
  Response out = Call(Method::delete_, "/api/v1/session", "", session, csrf);
  EXPECT_EQ(out.result_int(), 200u) << out.body();
  EXPECT_NE(out[field::field::set_cookie].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 401u);
}

// The CSV answer's lines, the BOM checked and removed.
std::vector<std::string> CsvLines(const Response& r) {
  std::string body = r.body();
  EXPECT_TRUE(body.starts_with("\xEF\xBB\xBF")) << "no UTF-8 BOM";
  if (body.starts_with("\xEF\xBB\xBF")) body.erase(0, 3);
  std::vector<std::string> lines;
  for (size_t at = 0; at < body.size();) {
    size_t end = body.find("\r\n", at);
    if (end == std::string::npos) end = body.size();
    lines.push_back(body.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

TEST_F(OfficialsApiTest, CsvHasBomChineseHeadersAndHiddenCells) {
  auto [session, csrf] = SessionOf("gd.official");
  Response as_json = Call(Method::get, "/api/v1/counts?area=4403&by=category,sex", "", session);
  ASSERT_EQ(as_json.result_int(), 200u) << as_json.body();
  const auto published = nlohmann::json::parse(as_json.body());
  // A cell as the CSV shows it: the JSON's figure, "<5" where the JSON has none.
  auto cell = [](const nlohmann::json& count) {
    return count.is_null() ? std::string("<5") : std::to_string(count.get<int>());
  };
  Response r = Call(Method::get, "/api/v1/counts.csv?area=4403&by=category,sex", "", session);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r[field::field::content_type], "text/csv; charset=utf-8");
  EXPECT_NE(r[field::field::content_disposition].find("counts.csv"), std::string::npos);
  auto lines = CsvLines(r);
  ASSERT_EQ(lines.size(), 4u) << r.body();
  EXPECT_EQ(lines[0], "类别,性别,人数,截至");
  EXPECT_TRUE(lines[1].starts_with("流动儿童,女," + cell(published["groups"][0]["count"]) + ","))
      << lines[1];
  EXPECT_TRUE(lines[2].starts_with("流动儿童,男," + cell(published["groups"][1]["count"]) + ","))
      << lines[2];
  EXPECT_TRUE(lines[3].starts_with("合计,," + cell(published["total"]) + ",")) << lines[3];

  // Accept: text/csv on the plain path gives the same table.
  http::testing::HttpsTestClient client(port_, ca_pem_);
  ASSERT_TRUE(client.Connect().ok());
  RawRequest request(Method::get, "/api/v1/areas?parent=3213", 11);
  request.set(field::field::cookie, std::string(kSessionCookie) + "=" + session);
  request.set(field::field::accept, "text/csv");
  auto areas = client.Send(std::move(request));
  ASSERT_TRUE(areas.ok());
  auto area_lines = CsvLines(*areas);
  ASSERT_EQ(area_lines.size(), 6u) << areas->body();
  EXPECT_EQ(area_lines[0], "代码,名称,截至");
  EXPECT_TRUE(area_lines[5].starts_with("321324,泗洪县,")) << area_lines[5];
}

TEST_F(OfficialsApiTest, FlowsAreTheCliNumbersWithinTheJurisdiction) {
  SixBoysGoHome();
  auto [gd, gd_csrf] = SessionOf("gd.official");
  const nlohmann::json body = MarchFlowsOf4403("from_area:6", gd);
  EXPECT_FALSE(body.contains("hukou_digits"));
  EXPECT_FALSE(body["groups"][0].contains("hukou_area"));
  ASSERT_EQ(body["groups"].size(), 1u);
  EXPECT_EQ(body["groups"][0]["from_area"], "440306");
  EXPECT_EQ(body["groups"][0]["to_area"], "3213");
  EXPECT_EQ(body["groups"][0]["month"], "2026-03");
  ExpectProtected(body["groups"][0]["count"], 6);
  EXPECT_EQ(body["moved_out"], body["groups"][0]["count"]);  // the same six persons
  EXPECT_EQ(body["moved_in"], 0);
  // Sihong's official sees the same moves from the other end; neither sees past its prefix.
  auto [js, js_csrf] = SessionOf("js.official");
  Response home =
      Call(Method::get, "/api/v1/flows?area=3213&from=2026-03-01&to=2026-03-31", "", js);
  ASSERT_EQ(home.result_int(), 200u) << home.body();
  EXPECT_EQ(nlohmann::json::parse(home.body())["moved_in"], body["moved_out"]);
  for (const char* target : {"/api/v1/flows?area=44&from=2026-03-01&to=2026-03-31",
                             "/api/v1/flows?area=3213&from=2026-03-01&to=2026-03-31"}) {
    EXPECT_EQ(Call(Method::get, target, "", gd).result_int(), 403u) << target;
  }
  Response bad = Call(Method::get, "/api/v1/flows?from=2026-02-30&to=2026-03-31", "", gd);
  EXPECT_EQ(bad.result_int(), 400u);
  EXPECT_NE(bad.body().find("--from"), std::string::npos) << bad.body();
  auto lines =
      CsvLines(Call(Method::get, "/api/v1/flows.csv?from=2026-03-01&to=2026-03-31", "", gd));
  ASSERT_EQ(lines.size(), 5u) << "a group, moved out, moved in, total";
  EXPECT_EQ(lines[0], "迁出地代码,迁出地,迁入地代码,迁入地,月份,人数,截至");
  EXPECT_TRUE(lines[1].starts_with("4403,深圳市,3213,宿迁市,2026-03,")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("迁出合计,")) << lines[2];
}

TEST_F(OfficialsApiTest, FlowsByHukouAreaAreTheCliNumbersWithTheHukouOfEachGroup) {
  SixBoysGoHome();  // their hukou is in Sihong
  auto [gd, gd_csrf] = SessionOf("gd.official");
  const nlohmann::json body = MarchFlowsOf4403("hukou_area:4,residence_area:4", gd);
  EXPECT_EQ(body["hukou_digits"], 4);
  ASSERT_EQ(body["groups"].size(), 1u);
  EXPECT_EQ(body["groups"][0]["hukou_area"], "3213");
  ExpectProtected(body["groups"][0]["count"], 6);
  // All six have one hukou prefecture: less the hukou, the answer is the one without it.
  nlohmann::json less_hukou = body;
  less_hukou.erase("hukou_digits");
  less_hukou["groups"][0].erase("hukou_area");
  EXPECT_EQ(less_hukou, MarchFlowsOf4403("residence_area:4", gd));
  const std::string period = "from=2026-03-01&to=2026-03-31&by=hukou_area:4,residence_area:4";
  // The jurisdiction is on the from- and to-areas: a hukou level opens no other area.
  EXPECT_EQ(Call(Method::get, "/api/v1/flows?area=3213&" + period, "", gd).result_int(), 403u);
  Response bad = Call(Method::get, "/api/v1/flows?from=2026-03-01&to=2026-03-31&by=hukou", "", gd);
  EXPECT_EQ(bad.result_int(), 400u);
  EXPECT_NE(bad.body().find("hukou_area:N"), std::string::npos) << bad.body();
  auto lines = CsvLines(Call(Method::get, "/api/v1/flows.csv?" + period, "", gd));
  ASSERT_EQ(lines.size(), 5u) << "a group, moved out, moved in, total";
  EXPECT_EQ(lines[0], "迁出地代码,迁出地,迁入地代码,迁入地,户籍地代码,户籍地,月份,人数,截至");
  EXPECT_TRUE(lines[1].starts_with("4403,深圳市,3213,宿迁市,3213,宿迁市,2026-03,")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("迁出合计,,,,,,,")) << lines[2];
  const std::string total = body["total"].is_null() ? "<5" : body["total"].dump();
  EXPECT_TRUE(lines[4].starts_with("合计,,,,,,," + total + ",")) << lines[4];
}

TEST_F(OfficialsApiTest, CoverageIsThePublishedCountAgainstTheEstimate) {
  ASSERT_TRUE(
      store_->SetCoverageEstimate({"4403", "migrant", 16, "深圳市抽样调查", 2025, "root", ""})
          .ok());
  auto [gd, gd_csrf] = SessionOf("gd.official");
  Response counts = Call(Method::get, "/api/v1/counts?area=4403&by=category", "", gd);
  ASSERT_EQ(counts.result_int(), 200u) << counts.body();
  const auto migrants = nlohmann::json::parse(counts.body())["groups"][0]["count"];
  Response r = Call(Method::get, "/api/v1/coverage?area=4403", "", gd);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  auto row = nlohmann::json::parse(r.body())["rows"][0];
  EXPECT_EQ(row["registered"], migrants);
  ExpectProtected(row["registered"], 8);
  EXPECT_EQ(row["estimate"], 16);
  if (!migrants.is_null()) {
    EXPECT_DOUBLE_EQ(row["coverage"].get<double>(),
                     std::round(migrants.get<double>() * 1000 / 16) / 1000);
  }
  EXPECT_EQ(Call(Method::get, "/api/v1/coverage?area=44", "", gd).result_int(), 403u);
  auto lines = CsvLines(Call(Method::get, "/api/v1/coverage.csv", "", gd));
  ASSERT_EQ(lines.size(), 2u) << "one estimate";
  EXPECT_EQ(lines[0], "地区代码,地区,类别,已登记人数,估计人数,估计来源,估计年份,覆盖率,截至");
  EXPECT_TRUE(lines[1].starts_with("4403,深圳市,流动儿童,")) << lines[1];
}

// Referral outcomes by service, sex and month through the API: the same JSON as the command
// line's without --exact (as_of too: the newest referral event, not the clock), its CSV the same
// numbers under Chinese headers, and a dimension outside area, service, sex, period refused.
TEST_F(OfficialsApiTest, ReferralOutcomesAreTheCliNumbersWithoutExact) {
  // Bao'an (T2) refers each of its eight children three times to Sihong (JS), whose terminal T1
  // completes, declines as inappropriate, declines with no capacity or closes them in turn.
  std::vector<wire::Event> referrals, moves;
  const char* statuses[] = {"completed", "declined", "declined", "closed_unreached"};
  for (int n = 1; n <= 24; ++n) {
    const std::string child = "T2-" + std::to_string(1 + (n - 1) % 8);
    const std::string id = "T2-R" + std::to_string(n);
    referrals.push_back(MakeEvent("T2", "referral.create", 8 + n, (kEventMs << 16) + n, child,
                                  {{"referral_id", id},
                                   {"child_id", child},
                                   {"service", n % 2 == 0 ? "education" : "health"},
                                   {"from_site", "GD"},
                                   {"to_site", "JS"},
                                   {"reason", "转介"}}));
    nlohmann::json change = {{"referral_id", id}, {"status", statuses[n % 4]}};
    if (n % 4 == 1) change["decline_reason"] = "inappropriate";
    if (n % 4 == 2) change["decline_reason"] = "no_capacity";
    if (n % 4 == 0) {  // completed: accepted first
      moves.push_back(MakeEvent("T1", "referral.status", moves.size() + 1,
                                ((kEventMs + 10) << 16) + n, child,
                                {{"referral_id", id}, {"status", "accepted"}}));
    }
    moves.push_back(MakeEvent("T1", "referral.status", moves.size() + 1,
                              ((kEventMs + 20) << 16) + n, child, change));
  }
  ASSERT_EQ(*store_->Ingest("T2", referrals), 8 + referrals.size());  // acknowledged up to
  ASSERT_EQ(*store_->Ingest("T1", moves), moves.size());
  clock_.Advance(48h);  // asking later changes nothing: as_of is the newest referral event

  auto [session, csrf] = SessionOf("gd.official");
  const std::string query = "?area=4403&by=service,sex,period&from=2026-01-01&to=2026-12-31";
  Response r = Call(Method::get, "/api/v1/referrals/stats" + query, "", session);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  ReferralStatsQuery cli_query{"4403",       false,       "", {"service", "sex", "period"},
                               "2026-01-01", "2026-12-31"};
  auto cli = store_->ReferralStats(cli_query);
  ASSERT_TRUE(cli.ok()) << cli.status().message();
  const auto api = nlohmann::ordered_json::parse(r.body());
  EXPECT_EQ(api, ToJson(*cli));
  // The girl's referrals are all for education: (education, F), (education, M), (health, M).
  ASSERT_EQ(api["groups"].size(), 3u) << api.dump();
  ExpectProtected(api["total"], 24);
  for (const auto& group : api["groups"]) {
    EXPECT_EQ(group.contains("suppressed"), group["count"].is_null()) << group.dump();
    for (const char* share : {"completed_share", "declined_share", "declined_inappropriate_share",
                              "closed_unreached_share"}) {
      EXPECT_TRUE(group.contains(share)) << share;
    }
  }

  Response csv = Call(Method::get, "/api/v1/referrals/stats.csv" + query, "", session);
  ASSERT_EQ(csv.result_int(), 200u) << csv.body();
  auto lines = CsvLines(csv);
  ASSERT_EQ(lines.size(), 5u) << csv.body();
  EXPECT_EQ(lines[0],
            "服务,性别,月份,转介数,完成比例,拒绝比例,因转介不当拒绝比例,未联系上关闭比例,截至");
  const auto count = [](const nlohmann::json& c) {
    return c.is_null() ? std::string("<5") : std::to_string(c.get<int>());
  };
  EXPECT_TRUE(lines[1].starts_with("教育,女,2026-09," + count(api["groups"][0]["count"]) + ","))
      << lines[1];
  EXPECT_TRUE(lines[4].starts_with("合计,,," + count(api["total"]) + ",")) << lines[4];
  EXPECT_TRUE(lines[4].ends_with(api["as_of"].get<std::string>())) << lines[4];

  Response bad = Call(Method::get, "/api/v1/referrals/stats?area=4403&by=age_band", "", session);
  EXPECT_EQ(bad.result_int(), 400u);
  EXPECT_NE(bad.body().find("age_band"), std::string::npos) << bad.body();
}

TEST_F(OfficialsApiTest, AreasListOneLevelOfGbT2260) {
  auto [session, csrf] = SessionOf("js.official");
  auto body =
      nlohmann::json::parse(Call(Method::get, "/api/v1/areas?parent=44", "", session).body());
  bool shenzhen = false;
  for (const auto& area : body["areas"]) shenzhen = shenzhen || area["code"] == "440300";
  EXPECT_TRUE(shenzhen) << body.dump();
  EXPECT_TRUE(body.contains("as_of"));
  EXPECT_EQ(Call(Method::get, "/api/v1/areas?parent=99", "", session).result_int(), 400u);
}

TEST_F(OfficialsApiTest, EveryRequestIsAuditedAppendOnly) {
  auto [session, csrf] = SessionOf("gd.official");
  Call(Method::get, "/api/v1/counts?area=4403&by=sex", "", session);
  Call(Method::get, "/api/v1/counts?area=3213", "", session);
  Call(Method::get, "/api/v1/counts");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].status, 200);  // the sign-in
  EXPECT_EQ(audit[1].user_name, "gd.official");
  EXPECT_EQ(audit[1].method, "GET");
  EXPECT_EQ(audit[1].target, "/api/v1/counts?area=4403&by=sex");
  EXPECT_EQ(audit[1].status, 200);
  EXPECT_EQ(audit[1].cells, 3);  // two cells and the total
  EXPECT_EQ(audit[1].at, UtcNowIso8601(clock_));
  EXPECT_EQ(audit[2].status, 403);
  EXPECT_EQ(audit[2].cells, 0);
  EXPECT_EQ(audit[3].user_name, "");
  EXPECT_EQ(audit[3].status, 401);
  // The table refuses changes and deletions.
  ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    EXPECT_FALSE(db.Exec("UPDATE api_audit SET status = 200").ok());
    EXPECT_FALSE(db.Exec("DELETE FROM api_audit").ok());
  });
  EXPECT_EQ(Audit().size(), 4u);
  // What `user audit` shows: the newest entries, of one account when asked, oldest first.
  auto newest = store_->ApiAudit("gd.official", 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].target, "/api/v1/counts?area=4403&by=sex");
  EXPECT_EQ((*newest)[1].target, "/api/v1/counts?area=3213");
  auto last = store_->ApiAudit("", 1);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].status, 401);
}

TEST_F(OfficialsApiTest, IdleSessionsExpireOnTheClock) {
  auto [session, csrf] = SessionOf("gd.official");
  clock_.Advance(29min);
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 200u);
  clock_.Advance(29min);  // 58 minutes after sign-in, 29 after the last use
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 200u);
  clock_.Advance(31min);
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 401u);
  // Used all along, a session still ends 12 hours after sign-in.
  auto [busy, busy_csrf] = SessionOf("gd.official");
  for (int i = 0; i < 24; ++i) {
    clock_.Advance(29min);
    EXPECT_EQ(Call(Method::get, "/api/v1/session", "", busy).result_int(), 200u) << i;
  }
  clock_.Advance(29min);
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", busy).result_int(), 401u);
}

TEST_F(OfficialsApiTest, DisablingAnAccountEndsItsSessions) {
  auto [session, csrf] = SessionOf("gd.official");
  ASSERT_TRUE(store_->SetDisabled("gd.official", true).ok());
  EXPECT_EQ(Call(Method::get, "/api/v1/session", "", session).result_int(), 401u);
  EXPECT_EQ(SignIn("gd.official").result_int(), 401u);
}

}  // namespace
}  // namespace onecard::server
