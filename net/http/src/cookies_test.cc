#include "onecard/http/cookies.h"

#include <gtest/gtest.h>

namespace onecard::http {
namespace {

TEST(HttpCookiesTest, ParsesPairsSkippingMalformedOnes) {
  Cookies cookies = ParseCookieHeader(
      " session=abc123; theme=\"dark\";junk; bad name=1; x=a b; first=1; first=2;=v");
  EXPECT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies.at("session"), "abc123");
  EXPECT_EQ(cookies.at("theme"), "dark");
  EXPECT_EQ(cookies.at("first"), "1");
  EXPECT_EQ(cookies.count("x"), 0u);
  EXPECT_TRUE(ParseCookieHeader("").empty());
}

TEST(HttpCookiesTest, FormatsSafeDefaults) {
  SetCookie cookie{.name = "sid", .value = "t0k3n", .max_age = std::chrono::seconds(3600)};
  auto text = FormatSetCookie(cookie);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "sid=t0k3n; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict");
  auto session = FormatSetCookie(SetCookie{.name = "a", .value = "b", .path = "/desk"});
  EXPECT_EQ(*session, "a=b; Path=/desk; Secure; HttpOnly; SameSite=Strict");
  EXPECT_EQ(*FormatSetCookie(ExpiredCookie("sid")),
            "sid=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
}

TEST(HttpCookiesTest, RefusesBadNamesValuesAndPathsWithoutEchoingTheValue) {
  EXPECT_FALSE(FormatSetCookie(SetCookie{.name = "", .value = "v"}).ok());
  EXPECT_FALSE(FormatSetCookie(SetCookie{.name = "a;b", .value = "v"}).ok());
  EXPECT_FALSE(
      FormatSetCookie(SetCookie{.name = "a", .value = "v", .path = "/x;Domain=evil"}).ok());
  EXPECT_FALSE(FormatSetCookie(SetCookie{.name = "a", .value = "v", .path = "relative"}).ok());
  EXPECT_FALSE(
      FormatSetCookie(SetCookie{.name = "a", .value = "v", .max_age = std::chrono::seconds(-1)})
          .ok());
  auto bad_value = FormatSetCookie(SetCookie{.name = "sid", .value = "secret;Domain=evil"});
  ASSERT_FALSE(bad_value.ok());
  EXPECT_NE(bad_value.status().message().find("sid"), std::string::npos);
  EXPECT_EQ(bad_value.status().message().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace onecard::http
