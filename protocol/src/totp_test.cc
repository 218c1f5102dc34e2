// HOTP and TOTP against the test vectors of RFC 4226 (appendix D) and RFC 6238 (appendix B,
// SHA-1), Base32 against RFC 4648 section 10.
#include "onecard/protocol/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace onecard {
namespace {

// The RFCs' shared secret: ASCII "12345678901234567890".
ByteSpan RfcKey() {
  static const std::string key = "12345678901234567890";
  return AsBytes(key);
}

TEST(Totp, Rfc4226HotpVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Hotp(RfcKey(), counter), expected[counter]) << "counter " << counter;
  }
}

TEST(Totp, Rfc6238Sha1Vectors) {
  struct Case {
    int64_t time;
    const char* code;
  };
  const Case cases[] = {{59, "94287082"},         {1111111109, "07081804"},
                        {1111111111, "14050471"}, {1234567890, "89005924"},
                        {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const Case& c : cases) EXPECT_EQ(Totp(RfcKey(), c.time, 8), c.code) << "T=" << c.time;
}

TEST(Totp, MatchAcceptsOneStepOfDriftAndNoMore) {
  const int64_t now = 1111111111;
  const uint64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(RfcKey(), Totp(RfcKey(), now), now), step);
  EXPECT_EQ(MatchTotp(RfcKey(), Totp(RfcKey(), now - 30), now), step - 1);
  EXPECT_EQ(MatchTotp(RfcKey(), Totp(RfcKey(), now + 30), now), step + 1);
  EXPECT_EQ(MatchTotp(RfcKey(), Totp(RfcKey(), now - 60), now), std::nullopt);
  EXPECT_EQ(MatchTotp(RfcKey(), Totp(RfcKey(), now + 90), now), std::nullopt);
}

TEST(Totp, MatchRefusesMalformedCodes) {
  const int64_t now = 59;
  const std::string good = Totp(RfcKey(), now);
  EXPECT_EQ(MatchTotp(RfcKey(), "", now), std::nullopt);
  EXPECT_EQ(MatchTotp(RfcKey(), good + "0", now), std::nullopt);
  EXPECT_EQ(MatchTotp(RfcKey(), "12345a", now), std::nullopt);
  EXPECT_EQ(MatchTotp(RfcKey(), good.substr(0, 5), now), std::nullopt);
}

TEST(Totp, Base32Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "MY"},
                                                       {"fo", "MZXQ"},
                                                       {"foo", "MZXW6"},
                                                       {"foob", "MZXW6YQ"},
                                                       {"fooba", "MZXW6YTB"},
                                                       {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base32Encode(AsBytes(plain)), encoded);
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(ToString(*decoded), plain);
  }
  auto typed = Base32Decode("mzxw 6ytb oi======");
  ASSERT_TRUE(typed.has_value());
  EXPECT_EQ(ToString(*typed), "foobar");
  EXPECT_EQ(Base32Decode("MZXW1"), std::nullopt);  // '1' is not in the alphabet
  EXPECT_EQ(Base32Decode("M"), std::nullopt);      // no encoder ends with one symbol
}

TEST(Totp, UriNamesAccountAndSecret) {
  EXPECT_EQ(TotpUri("wang li", AsBytes("foobar")),
            "otpauth://totp/OneCard:wang%20li?secret=MZXW6YTBOI&issuer=OneCard&algorithm=SHA1&"
            "digits=6&period=30");
}

}  // namespace
}  // namespace onecard
