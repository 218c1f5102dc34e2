// Listen binds a real loopback socket; a second Listen on the same port fails with a Status that
// names the address, and leaves its acceptor closed.
#include "onecard/net/listener.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::net {
namespace {

using tcp = boost::asio::ip::tcp;

TEST(ListenerTest, ListensOnAFreePortAndRefusesABusyOne) {
  SetLanguage(Language::kEn);
  boost::asio::io_context io;
  tcp::acceptor first(io);
  ASSERT_TRUE(Listen(first, {boost::asio::ip::make_address("127.0.0.1"), 0}).ok());
  uint16_t port = first.local_endpoint().port();
  EXPECT_NE(port, 0);

  tcp::acceptor second(io);
  // Address reuse does not allow two listeners on one port.
  Status busy = Listen(second, {boost::asio::ip::make_address("127.0.0.1"), port});
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.code(), ErrorCode::kUnavailable);
  EXPECT_NE(busy.message().find("listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << busy.message();
  EXPECT_FALSE(second.is_open());
}

}  // namespace
}  // namespace onecard::net
