#include "onecard/http/url.h"

#include <gtest/gtest.h>

namespace onecard::http {
namespace {

TEST(HttpUrlTest, PercentDecodesUtf8) {
  auto decoded = PercentDecode("%E6%B5%81%E5%8A%A8%E5%84%BF%E7%AB%A5", false);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, "流动儿童");
}

TEST(HttpUrlTest, PlusIsSpaceOnlyInQueries) {
  EXPECT_EQ(*PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
}

TEST(HttpUrlTest, RefusesBadEscapesInvalidUtf8AndNul) {
  for (const char* bad : {"%", "%4", "%G1", "abc%zz", "%C3%28", "%ED%A0%80", "%C0%AF", "a%00b"}) {
    auto decoded = PercentDecode(bad, false);
    EXPECT_FALSE(decoded.ok()) << bad;
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument) << bad;
    }
  }
}

TEST(HttpUrlTest, PercentEncodeRoundTrips) {
  std::string text = "报告 2024/ä+&=";
  std::string encoded = PercentEncode(text);
  EXPECT_EQ(encoded.find_first_of(" /+&="), std::string::npos);
  EXPECT_EQ(*PercentDecode(encoded, false), text);
}

TEST(HttpUrlTest, ParsesQueryWithRepeatsFlagsAndEmptyPieces) {
  auto query = ParseQuery("area=4401&area=4402&&name=%E5%BC%A0+%E4%B8%89&flag");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->All("area"), (std::vector<std::string>{"4401", "4402"}));
  EXPECT_EQ(query->Get("area"), "4401");
  EXPECT_EQ(query->Get("name"), "张 三");
  EXPECT_EQ(query->Get("flag"), "");
  EXPECT_FALSE(query->Get("missing").has_value());
  EXPECT_EQ(query->items().size(), 4u);
}

TEST(HttpUrlTest, SplitsTargetKeepingEncodedSlashInsideASegment) {
  auto target = ParseRequestTarget("/api/v1/counts/44%2F01?as_of=2024-01-01");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->segments, (std::vector<std::string>{"api", "v1", "counts", "44/01"}));
  EXPECT_EQ(target->path, "/api/v1/counts/44%2F01");
  EXPECT_EQ(target->query.Get("as_of"), "2024-01-01");
  EXPECT_TRUE(ParseRequestTarget("/")->segments.empty());
  EXPECT_EQ(ParseRequestTarget("/a/")->segments, (std::vector<std::string>{"a", ""}));
}

TEST(HttpUrlTest, RefusesTargetsItDoesNotServe) {
  for (const char* bad : {"", "*", "http://example.com/", "/a/../b", "/a/%2E%2E/b", "/./a", "/a#x",
                          "/a%FF", "/a?q=%E4"}) {
    EXPECT_FALSE(ParseRequestTarget(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace onecard::http
