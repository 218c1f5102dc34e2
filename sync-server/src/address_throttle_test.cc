#include "address_throttle.h"

#include <gtest/gtest.h>

namespace onecard::server {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kMinute = 60'000;

TEST(AddressThrottle, TheLimitHoldsUntilTheOldestFailureLeavesTheWindow) {
  AddressThrottle throttle(3, 10min);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.RetryAfter("192.0.2.7", i * kMinute), 0s) << i;
    throttle.RecordFailure("192.0.2.7", i * kMinute);
  }
  EXPECT_EQ(throttle.RetryAfter("192.0.2.7", 3 * kMinute), 7min);  // the first, at 0, until 10
  EXPECT_EQ(throttle.RetryAfter("192.0.2.8", 3 * kMinute), 0s);    // another address is free
  EXPECT_EQ(throttle.RetryAfter("192.0.2.7", 10 * kMinute - 1), 1s);
  EXPECT_EQ(throttle.RetryAfter("192.0.2.7", 10 * kMinute), 0s);
  throttle.RecordFailure("192.0.2.7", 10 * kMinute);  // at the limit again, until the one at 1
  EXPECT_EQ(throttle.RetryAfter("192.0.2.7", 10 * kMinute), 1min);
}

TEST(AddressThrottle, AnUnknownAddressIsNeverLimited) {
  AddressThrottle throttle(1, 10min);
  throttle.RecordFailure("", 0);
  throttle.RecordFailure("", 1);
  EXPECT_EQ(throttle.RetryAfter("", 2), 0s);
}

TEST(AddressThrottle, IPv6CountsByItsSlash64AndMappedIPv4AsIPv4) {
  EXPECT_EQ(AddressThrottle::KeyOf("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressThrottle::KeyOf("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressThrottle::KeyOf("2001:db8:1:3::1"), "2001:db8:1:3::/64");
  EXPECT_EQ(AddressThrottle::KeyOf("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressThrottle::KeyOf("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressThrottle::KeyOf("not an address"), "not an address");

  AddressThrottle throttle(2, 10min);
  throttle.RecordFailure("2001:db8:1:2::1", 0);
  throttle.RecordFailure("2001:db8:1:2::ffff", 0);  // another host of the same /64
  EXPECT_GT(throttle.RetryAfter("2001:db8:1:2::7", 1), 0s);
  EXPECT_EQ(throttle.RetryAfter("2001:db8:1:3::1", 1), 0s);
  throttle.RecordFailure("::ffff:192.0.2.7", 0);
  throttle.RecordFailure("192.0.2.7", 0);
  EXPECT_GT(throttle.RetryAfter("192.0.2.7", 1), 0s);
}

TEST(AddressThrottle, MemoryIsBoundedAndTheLeastRecentIsForgottenFirst) {
  AddressThrottle throttle(1, 10min, /*max_addresses=*/3);
  throttle.RecordFailure("192.0.2.1", 0);
  throttle.RecordFailure("192.0.2.2", 1);
  throttle.RecordFailure("192.0.2.3", 2);
  throttle.RecordFailure("192.0.2.4", 3);  // full: 192.0.2.1, the least recent, goes
  EXPECT_EQ(throttle.RetryAfter("192.0.2.1", 4), 0s);
  for (const char* kept : {"192.0.2.2", "192.0.2.3", "192.0.2.4"}) {
    EXPECT_GT(throttle.RetryAfter(kept, 4), 0s) << kept;
  }
  // Expired entries go before any live one: at 10 minutes + 2 ms only 192.0.2.4 is live.
  throttle.RecordFailure("192.0.2.5", 10 * kMinute + 2);
  throttle.RecordFailure("192.0.2.6", 10 * kMinute + 2);
  EXPECT_GT(throttle.RetryAfter("192.0.2.4", 10 * kMinute + 2), 0s);
  EXPECT_GT(throttle.RetryAfter("192.0.2.5", 10 * kMinute + 2), 0s);
  EXPECT_GT(throttle.RetryAfter("192.0.2.6", 10 * kMinute + 2), 0s);
}

}  // namespace
}  // namespace onecard::server
