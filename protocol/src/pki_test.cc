#include "onecard/protocol/pki.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace onecard {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr Parse(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return X509Ptr(cert);
}

class PkiTest : public ::testing::Test {
 protected:
  EcKey ca_key_ = EcKey::Generate();
  std::string ca_pem_ = CreateCaCertificate(ca_key_, "OneCard Test CA", 3650);
  EcKey terminal_key_ = EcKey::Generate();

  CertificateProfile TerminalProfile() {
    CertificateProfile p;
    p.common_name = "T-320101-0001";
    p.for_client = true;
    return p;
  }
};

TEST_F(PkiTest, CaCertificateIsSelfSignedCa) {
  X509Ptr ca = Parse(ca_pem_);
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_verify(ca.get(), ca_key_.get()), 1);
  EXPECT_NE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_NE(X509_get0_subject_key_id(ca.get()), nullptr);
  auto cn = CertificateCommonName(ca_pem_);
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ(*cn, "OneCard Test CA");
  EXPECT_TRUE(VerifyCertificate(ca_pem_, ca_pem_).ok());
}

TEST_F(PkiTest, IssuedTerminalCertificateChainsAndNamesTheTerminal) {
  auto cert = IssueCertificate(ca_key_, ca_pem_, terminal_key_, TerminalProfile());
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  auto cn = CertificateCommonName(*cert);
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ(*cn, "T-320101-0001");
  EXPECT_TRUE(VerifyCertificate(ca_pem_, *cert).ok());
  EXPECT_TRUE(VerifyCertificate(ca_pem_, *cert, CertificatePurpose::kClient).ok());
  // A client certificate cannot pose as the server.
  EXPECT_EQ(VerifyCertificate(ca_pem_, *cert, CertificatePurpose::kServer).code(),
            ErrorCode::kUnauthenticated);
  X509Ptr x = Parse(*cert);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(X509_check_ca(x.get()), 0);
  auto key = CertificatePublicKey(*cert);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->PublicPoint(), terminal_key_.PublicPoint());
}

TEST_F(PkiTest, ServerCertificateCarriesSubjectAltNames) {
  CertificateProfile p;
  p.common_name = "onecard-server";
  p.dns_names = {"localhost", "sync.example.cn"};
  p.ip_addresses = {"127.0.0.1", "::1"};
  p.for_server = true;
  auto cert = IssueCertificate(ca_key_, ca_pem_, terminal_key_, p);
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  EXPECT_TRUE(VerifyCertificate(ca_pem_, *cert, CertificatePurpose::kServer).ok());
  X509Ptr x = Parse(*cert);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(X509_check_host(x.get(), "sync.example.cn", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(x.get(), "other.example.cn", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(x.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(x.get(), "10.0.0.1", 0), 0);
  EXPECT_EQ(X509_check_ip_asc(x.get(), "::1", 0), 1);
}

TEST_F(PkiTest, CertificateFromAnotherCaFailsVerification) {
  EcKey other_key = EcKey::Generate();
  std::string other_ca = CreateCaCertificate(other_key, "OneCard Test CA", 3650);  // same name
  auto cert = IssueCertificate(other_key, other_ca, terminal_key_, TerminalProfile());
  ASSERT_TRUE(cert.ok());
  Status s = VerifyCertificate(ca_pem_, *cert);
  EXPECT_EQ(s.code(), ErrorCode::kUnauthenticated);
  EXPECT_FALSE(s.message().empty());
}

TEST_F(PkiTest, RejectsBadInput) {
  EcKey other_key = EcKey::Generate();
  // The CA key must match the CA certificate.
  EXPECT_EQ(IssueCertificate(other_key, ca_pem_, terminal_key_, TerminalProfile()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(IssueCertificate(ca_key_, "not a certificate", terminal_key_, TerminalProfile())
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  CertificateProfile p = TerminalProfile();
  p.common_name = "";
  EXPECT_EQ(IssueCertificate(ca_key_, ca_pem_, terminal_key_, p).status().code(),
            ErrorCode::kInvalidArgument);
  p = TerminalProfile();
  p.common_name = std::string(65, 'x');
  EXPECT_EQ(IssueCertificate(ca_key_, ca_pem_, terminal_key_, p).status().code(),
            ErrorCode::kInvalidArgument);
  p = TerminalProfile();
  p.ip_addresses = {"300.1.1.1"};
  EXPECT_EQ(IssueCertificate(ca_key_, ca_pem_, terminal_key_, p).status().code(),
            ErrorCode::kInvalidArgument);
  p = TerminalProfile();
  p.valid_days = 0;
  EXPECT_EQ(IssueCertificate(ca_key_, ca_pem_, terminal_key_, p).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CertificateCommonName("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyCertificate(ca_pem_, "garbage").code(), ErrorCode::kInvalidArgument);
}

TEST_F(PkiTest, SerialsAreRandom) {
  auto a = IssueCertificate(ca_key_, ca_pem_, terminal_key_, TerminalProfile());
  auto b = IssueCertificate(ca_key_, ca_pem_, terminal_key_, TerminalProfile());
  ASSERT_TRUE(a.ok() && b.ok());
  X509Ptr xa = Parse(*a), xb = Parse(*b);
  ASSERT_TRUE(xa && xb);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(xa.get()), X509_get0_serialNumber(xb.get())),
            0);
}

}  // namespace
}  // namespace onecard
