#include "onecard/protocol/crypto.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

TEST(Crypto, AeadRoundTripAndTamper) {
  SecretBytes key = RandomSecret(kAeadKeySize);
  Bytes aad = {1, 2, 3};
  auto sealed = AeadSeal(key, aad, AsBytes("张三"));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), std::string("张三").size() + kAeadOverhead);
  auto opened = AeadOpen(key, aad, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(ToString(opened->span()), "张三");

  Bytes flipped = *sealed;
  flipped[kAeadNonceSize] ^= 1;
  EXPECT_EQ(AeadOpen(key, aad, flipped).status().code(), ErrorCode::kTampered);
  EXPECT_EQ(AeadOpen(key, Bytes{9}, *sealed).status().code(), ErrorCode::kTampered);
  EXPECT_EQ(AeadOpen(RandomSecret(kAeadKeySize), aad, *sealed).status().code(),
            ErrorCode::kTampered);
  EXPECT_EQ(AeadOpen(key, aad, Bytes(5)).status().code(), ErrorCode::kTampered);
}

TEST(Crypto, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 2.
  SecretBytes jefe(Bytes{'J', 'e', 'f', 'e'});
  EXPECT_EQ(HexEncode(HmacSha256(jefe, AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// A prepared key gives each message its own MAC: its state is copied, never carried over.
TEST(Crypto, HmacSha256KeyMacsManyMessagesAsRfc4231) {
  SecretBytes jefe(Bytes{'J', 'e', 'f', 'e'});
  const HmacSha256Key key(jefe);
  const std::string rfc = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(HexEncode(key.Mac(AsBytes("what do ya want for nothing?"))), rfc);
  EXPECT_NE(HexEncode(key.Mac(AsBytes("what do ya want for nothing!"))), rfc);
  EXPECT_EQ(HexEncode(key.Mac(AsBytes("what do ya want for nothing?"))), rfc);
  EXPECT_EQ(key.Mac(AsBytes("")), HmacSha256(jefe, AsBytes("")));
}

TEST(Crypto, EcdsaSignVerifyAndKeyRoundTrip) {
  EcKey key = EcKey::Generate();
  ASSERT_TRUE(key.has_private());
  Bytes sig = key.Sign(AsBytes("record"));
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(key.Verify(AsBytes("record"), sig));
  EXPECT_FALSE(key.Verify(AsBytes("recorD"), sig));
  sig[10] ^= 0x40;
  EXPECT_FALSE(key.Verify(AsBytes("record"), sig));

  auto pub = EcKey::FromPublicPoint(key.PublicPoint());
  ASSERT_TRUE(pub.ok());
  EXPECT_FALSE(pub->has_private());
  EXPECT_TRUE(pub->Verify(AsBytes("x"), key.Sign(AsBytes("x"))));

  auto again = EcKey::FromPrivatePem(key.PrivatePem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->PublicPoint(), key.PublicPoint());
  auto from_pub_pem = EcKey::FromPublicPem(key.PublicPem());
  ASSERT_TRUE(from_pub_pem.ok());
  EXPECT_EQ(from_pub_pem->PublicPoint(), key.PublicPoint());
}

TEST(Crypto, RejectsPointOffCurveAndGarbagePem) {
  Bytes point(65, 0x11);
  point[0] = 0x04;
  EXPECT_EQ(EcKey::FromPublicPoint(point).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(EcKey::FromPublicPoint(Bytes(3)).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(EcKey::FromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n").ok());
}

TEST(Crypto, Pbkdf2IsDeterministicAndSaltSensitive) {
  Bytes salt = {1, 2, 3, 4};
  SecretBytes a = DerivePassphraseKey("口令", salt, 1000);
  SecretBytes b = DerivePassphraseKey("口令", salt, 1000);
  SecretBytes c = DerivePassphraseKey("口令", Bytes{1, 2, 3, 5}, 1000);
  EXPECT_EQ(Bytes(a.span().begin(), a.span().end()), Bytes(b.span().begin(), b.span().end()));
  EXPECT_NE(Bytes(a.span().begin(), a.span().end()), Bytes(c.span().begin(), c.span().end()));
}

TEST(Bytes, HexAndBase64RoundTrip) {
  Bytes data = {0x00, 0xff, 0x10, 0xab, 0x7f};
  EXPECT_EQ(HexEncode(data), "00ff10ab7f");
  EXPECT_EQ(*HexDecode("00FF10ab7f"), data);
  EXPECT_FALSE(HexDecode("0").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
  for (size_t n = 0; n < 7; ++n) {
    Bytes d(data.begin(), data.begin() + static_cast<long>(std::min(n, data.size())));
    auto back = Base64Decode(Base64Encode(d));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, d);
  }
  EXPECT_FALSE(Base64Decode("abc").ok());
}

}  // namespace
}  // namespace onecard
