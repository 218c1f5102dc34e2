#include "onecard/cli/host_port.h"

#include <gtest/gtest.h>

namespace onecard::cli {
namespace {

TEST(HostPort, AddressesAndPorts) {
  auto v4 = ParseHostPort("127.0.0.1:8443", "--http");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8443);
  auto v6 = ParseHostPort("[::1]:0", "--listen");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
}

TEST(HostPort, RefusalsNameTheFlag) {
  for (const char* bad : {"", "8443", ":8443", "127.0.0.1:", "127.0.0.1:65536", "host:x", "[]:1"}) {
    auto r = ParseHostPort(bad, "--listen");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("--listen"), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace onecard::cli
