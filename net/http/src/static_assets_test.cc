#include "onecard/http/static_assets.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

#include "onecard/http/response.h"
#include "test_assets.h"

namespace onecard::http {
namespace {

TEST(HttpStaticAssetsTest, ContentTypes) {
  const std::pair<const char*, std::string_view> types[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"js/app.js", "text/javascript; charset=utf-8"},
      {"css/app.css", "text/css; charset=utf-8"},
      {"font.woff2", "font/woff2"},
      {"dir.v2/README", "application/octet-stream"},  // the dot of a folder is no extension
  };
  for (const auto& [path, type] : types) EXPECT_EQ(ContentTypeFor(path), type) << path;
}

TEST(HttpStaticAssetsTest, EmbeddedTreeKeepsRelativePaths) {
  StaticAssets assets(testing::TestAssets());
  EXPECT_TRUE(assets.Contains("index.html"));
  EXPECT_TRUE(assets.Contains("css/app.css"));
  EXPECT_FALSE(assets.Contains("app.css"));
  EXPECT_EQ(assets.ETagOf("index.html").size(), 34u);
  EXPECT_NE(assets.ETagOf("index.html"), assets.ETagOf("app.js"));
}

TEST(HttpStaticAssetsTest, ServesFilesAndRevalidates) {
  StaticAssets assets(testing::TestAssets());
  Router router;
  assets.AddRoutes(router, "/");
  Response page = router.Dispatch(RawRequest(Method::get, "/", 11));
  ASSERT_EQ(page.result(), StatusCode::ok);
  EXPECT_NE(page.body().find("流动儿童"), std::string::npos);
  EXPECT_EQ(page[beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(page[beast_http::field::cache_control], "no-cache");
  std::string etag(page[beast_http::field::etag]);
  EXPECT_EQ(etag, assets.ETagOf("index.html"));

  RawRequest again(Method::get, "/index.html", 11);
  again.set(beast_http::field::if_none_match, "\"other\", W/" + etag);
  Response cached = router.Dispatch(again);
  EXPECT_EQ(cached.result(), StatusCode::not_modified);
  EXPECT_EQ(cached.body(), "");
  EXPECT_EQ(cached[beast_http::field::etag], etag);

  again.set(beast_http::field::if_none_match, "\"stale\"");
  EXPECT_EQ(router.Dispatch(again).result(), StatusCode::ok);
  EXPECT_EQ(router.Dispatch(RawRequest(Method::get, "/css/app.css", 11)).result(), StatusCode::ok);
  EXPECT_EQ(router.Dispatch(RawRequest(Method::get, "/css%2Fapp.css", 11)).result(),
            StatusCode::not_found);
}

}  // namespace
}  // namespace onecard::http
