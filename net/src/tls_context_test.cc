// The TLS context factories refuse bad input with the texts the programs show; the contexts
// themselves are exercised over real connections by tests/net (onecard_sync_net_test).
#include <gtest/gtest.h>

#include "onecard/net/tls_client_context.h"
#include "onecard/net/tls_server_context.h"
#include "onecard/protocol/i18n.h"

namespace onecard::net {
namespace {

const char kNotPem[] =
    "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLanguage(Language::kEn); }
};

TEST_F(TlsContextTest, ClientWithoutCaIsRefused) {
  auto ctx = MakeClientTlsContext("", "", "");
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ctx.status().message(), "the server's CA certificate is missing");
}

TEST_F(TlsContextTest, ClientWithBadCaIsRefused) {
  auto ctx = MakeClientTlsContext(kNotPem, "", "");
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ctx.status().message().rfind("invalid server CA certificate (", 0), 0u)
      << ctx.status().message();
}

TEST_F(TlsContextTest, ServerWithBadCaIsRefused) {
  auto ctx = MakeServerTlsContext(kNotPem, kNotPem, "", [](std::string_view) { return false; });
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ctx.status().message().rfind("invalid server CA certificate (", 0), 0u)
      << ctx.status().message();
}

}  // namespace
}  // namespace onecard::net
