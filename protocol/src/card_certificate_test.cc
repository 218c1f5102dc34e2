#include "onecard/protocol/card_certificate.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

TEST(CardCertificate, IssueThenVerify) {
  EcKey root = EcKey::Generate();
  EcKey terminal = EcKey::Generate();
  Bytes cert =
      IssueCardSignerCertificate(root, "T-440306-01", terminal.PublicPoint(), 2'000'000'000);
  EXPECT_LT(cert.size(), 200u);
  auto pub = EcKey::FromPublicPoint(root.PublicPoint());
  ASSERT_TRUE(pub.ok());
  auto parsed = VerifyCardSignerCertificate(cert, *pub, 1'800'000'000);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->terminal_id, "T-440306-01");
  EXPECT_EQ(parsed->public_point, terminal.PublicPoint());
  EXPECT_EQ(parsed->not_after_unix, 2'000'000'000);
}

TEST(CardCertificate, WrongRootIsTampered) {
  EcKey root = EcKey::Generate();
  Bytes cert =
      IssueCardSignerCertificate(root, "T1", EcKey::Generate().PublicPoint(), 2'000'000'000);
  EXPECT_EQ(VerifyCardSignerCertificate(cert, EcKey::Generate(), 0).status().code(),
            ErrorCode::kTampered);
}

TEST(CardCertificate, ExpiredIsUnauthenticated) {
  EcKey root = EcKey::Generate();
  Bytes cert = IssueCardSignerCertificate(root, "T1", EcKey::Generate().PublicPoint(), 1000);
  EXPECT_EQ(VerifyCardSignerCertificate(cert, root, 1001).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(VerifyCardSignerCertificate(cert, root, 1000).ok());
}

TEST(CardCertificate, EveryFlippedByteIsRejected) {
  EcKey root = EcKey::Generate();
  Bytes cert =
      IssueCardSignerCertificate(root, "T-01", EcKey::Generate().PublicPoint(), 2'000'000'000);
  for (size_t i = 0; i < cert.size(); ++i) {
    Bytes bad = cert;
    bad[i] ^= 0x01;
    auto r = VerifyCardSignerCertificate(bad, root, 0);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_TRUE(r.status().code() == ErrorCode::kTampered ||
                r.status().code() == ErrorCode::kInvalidArgument)
        << "byte " << i << ": " << r.status().message();
  }
}

TEST(CardCertificate, MalformedIsInvalidArgument) {
  EcKey root = EcKey::Generate();
  Bytes cert =
      IssueCardSignerCertificate(root, "T-01", EcKey::Generate().PublicPoint(), 2'000'000'000);
  const std::vector<Bytes> cases = {
      {},
      Bytes(cert.begin(), cert.end() - 1),
      [&] {
        Bytes b = cert;
        b.push_back(0);
        return b;
      }(),
      Bytes(300, 0x7F),
  };
  for (const Bytes& c : cases) {
    EXPECT_EQ(VerifyCardSignerCertificate(c, root, 0).status().code(), ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace onecard
